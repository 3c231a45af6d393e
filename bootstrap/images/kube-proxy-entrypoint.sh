#!/bin/sh
# kubeadm's DaemonSet runs /usr/local/bin/kube-proxy: kube-proxy itself, on the node's iptables backend.
exec /usr/local/bin/iptables-backend /usr/local/bin/kube-proxy.bin "$@"
