#!/bin/sh
# kube-proxy must write rules with the same iptables backend as the node (legacy or nft), else Services break.
# Pick the backend that already holds rules (the node's), as kubernetes-sigs/iptables-wrappers does.
legacy=$( (iptables-legacy-save; ip6tables-legacy-save) 2>/dev/null | grep -c '^-' )
nft=$( (timeout 5 sh -c 'iptables-nft-save; ip6tables-nft-save') 2>/dev/null | grep -c '^-' )
mode=nft
[ "${legacy:-0}" -gt "${nft:-0}" ] && mode=legacy
update-alternatives --set iptables "/usr/sbin/iptables-${mode}" >/dev/null
update-alternatives --set ip6tables "/usr/sbin/ip6tables-${mode}" >/dev/null
exec /usr/local/bin/kube-proxy.bin "$@"
