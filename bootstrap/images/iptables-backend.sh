#!/bin/sh
# Runs its arguments with the node's iptables backend (legacy or nft) selected: rules written to the other one are
# never read. Picks the backend that already holds rules, as kubernetes-sigs/iptables-wrappers does. kube-proxy
# (kube-proxy-entrypoint.sh) and kube-router's firewall (bootstrap/manifests/netpol.yaml) both start through it.
legacy=$( (iptables-legacy-save; ip6tables-legacy-save) 2>/dev/null | grep -c '^-' )
nft=$( (timeout 5 sh -c 'iptables-nft-save; ip6tables-nft-save') 2>/dev/null | grep -c '^-' )
mode=nft
[ "${legacy:-0}" -gt "${nft:-0}" ] && mode=legacy
update-alternatives --set iptables "/usr/sbin/iptables-${mode}" >/dev/null
update-alternatives --set ip6tables "/usr/sbin/ip6tables-${mode}" >/dev/null
echo "iptables backend: ${mode}"
exec "$@"
