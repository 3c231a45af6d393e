"""Cloud storage the clusters' CSI drivers provision from."""
