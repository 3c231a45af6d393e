#!/bin/bash
# podnet: the kind cluster's pod network. Each node gets a ptp CNI config for its own podCIDR and a route to every
# other node's podCIDR through that node's InternalIP (all kind nodes share one Docker bridge, so no tunnel is
# needed). Traffic leaving the cluster's pod subnet is masqueraded. It keeps the routes in step as nodes come and go.
set -euo pipefail
: "${NODE_NAME:?set from spec.nodeName}" "${POD_SUBNET:?the cluster pod subnet}" "${SERVICE_SUBNET:?the Service range}"
CNI_CONF=/host/etc/cni/net.d/10-podnet.conflist
if [ -n "${CONTROL_PLANE_ENDPOINT:-}" ]; then  # set by kind: talk to the API server without Service routing
  export KUBERNETES_SERVICE_HOST=${CONTROL_PLANE_ENDPOINT%:*} KUBERNETES_SERVICE_PORT=${CONTROL_PLANE_ENDPOINT##*:}
fi

select_iptables() {  # same backend as the node, or rules land where nothing reads them
  local legacy nft
  legacy=$( (iptables-legacy-save; ip6tables-legacy-save) 2>/dev/null | grep -c '^-' || true)
  nft=$( (timeout 5 sh -c 'iptables-nft-save; ip6tables-nft-save') 2>/dev/null | grep -c '^-' || true)
  local mode=nft; [ "${legacy:-0}" -gt "${nft:-0}" ] && mode=legacy
  update-alternatives --set iptables "/usr/sbin/iptables-${mode}" >/dev/null
  echo "podnet: iptables backend ${mode}"
}

write_cni_config() {
  local cidr=$1 tmp
  tmp=$(mktemp -p "$(dirname "$CNI_CONF")")
  cat >"$tmp" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "podnet",
  "plugins": [
    {"type": "ptp", "ipMasq": false, "mtu": 1500,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "${cidr}"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
  if cmp -s "$tmp" "$CNI_CONF"; then rm -f "$tmp"; else mv "$tmp" "$CNI_CONF"; echo "podnet: CNI config for ${cidr}"; fi
}

sync_once() {
  kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.spec.podCIDR} {.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}' |
  while read -r name cidr ip; do
    [ -n "$cidr" ] || continue
    if [ "$name" = "$NODE_NAME" ]; then
      write_cni_config "$cidr"
    else
      ip route replace "$cidr" via "$ip"
    fi
  done
  # A ClusterIP that kube-proxy has not translated (yet) must fail fast. Left alone it follows the default route
  # off the node, where a transparent egress proxy may answer it and keep the connection (seen: the API server's
  # aggregator pinned to a proxy's 404 for metrics.k8s.io).
  for chain in OUTPUT FORWARD; do
    iptables -C "$chain" -d "$SERVICE_SUBNET" -m conntrack ! --ctstate DNAT -m comment --comment podnet -j REJECT 2>/dev/null ||
      iptables -I "$chain" -d "$SERVICE_SUBNET" -m conntrack ! --ctstate DNAT -m comment --comment podnet -j REJECT
  done
  iptables -t nat -C POSTROUTING -s "$POD_SUBNET" ! -d "$POD_SUBNET" -m comment --comment podnet -j MASQUERADE 2>/dev/null ||
    iptables -t nat -A POSTROUTING -s "$POD_SUBNET" ! -d "$POD_SUBNET" -m comment --comment podnet -j MASQUERADE
}

select_iptables
while true; do
  sync_once || echo "podnet: sync failed, retrying"
  # Watch for node changes; the timeout bounds how long a missed event can go unnoticed.
  timeout 30 kubectl get nodes --watch-only -o name 2>/dev/null | head -n 1 >/dev/null || true
done
