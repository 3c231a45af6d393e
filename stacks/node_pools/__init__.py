"""Node pools carrying the scheduling contract's labels and taints: EKS managed node groups, AKS node pools."""
