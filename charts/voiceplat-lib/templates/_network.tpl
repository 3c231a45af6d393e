{{/*
Network: a NetworkPolicy per service and its Ingress. Ingress traffic (none for batch pods) is allowed from the
same namespace, from the monitoring namespace on the metrics port, from the ingress controller when the
service has an Ingress, from `global.networkPolicy.ingressFromAll` (kind's nodes, for the e2e suite's pod
proxy), and from anywhere when `networkPolicy.allowExternal` (a NodePort on kind).
Egress: DNS, the pods of the services it declares in `dependencies` (nothing else in the namespace), the
namespaces the service names, private ranges on the ports it names (managed databases), HTTPS to the
internet when it says so.
*/}}

{{/* NetworkPolicy of one service (when `global.networkPolicy.enabled`).
Usage: {{- include "voiceplat-lib.network.policy" $scope }} */}}
{{- define "voiceplat-lib.network.policy" -}}
{{- $global := .ctx.Values.global.networkPolicy -}}
{{- $policy := .svc.networkPolicy -}}
{{- if $global.enabled }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  {{- include "voiceplat-lib.labels.metadata" . | nindent 2 }}
spec:
  podSelector:
    matchLabels:
      {{- include "voiceplat-lib.labels.selector" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  {{- if .batch }}
  ingress: []
  {{- else }}
  ingress:
    - from:
        - podSelector: {}
      ports:
        {{- range $portName, $port := .svc.ports }}
        - port: {{ $port }}
          protocol: TCP
        {{- end }}
    {{- if .svc.metrics.enabled }}
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $global.monitoringNamespace }}
      ports:
        - port: {{ .svc.metrics.port }}
          protocol: TCP
    {{- end }}
    {{- if and .svc.ingress.enabled $global.ingressFrom }}
    - from: {{- toYaml $global.ingressFrom | nindent 8 }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- with $global.ingressFromAll }}
    - from: {{- toYaml . | nindent 8 }}
    {{- end }}
    {{- if $policy.allowExternal }}
    - ports:
        - port: http
          protocol: TCP
    {{- end }}
  {{- end }}
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- range .svc.dependencies }}
    - to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ . }}
    {{- end }}
    {{- range $policy.egressNamespaces }}
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ . }}
    {{- end }}
    {{- with $policy.egressPrivatePorts }}
    - to:
        {{- range $global.privateCidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      ports:
        {{- range . }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- if $policy.egressInternet }}
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
            except: {{- toYaml $global.privateCidrs | nindent 14 }}
      ports:
        - port: 443
          protocol: TCP
    {{- end }}
{{- end }}
{{- end -}}

{{/* Ingress of one service (when `ingress.enabled`); class and annotations from the cloud overlay.
Usage: {{- include "voiceplat-lib.network.ingress" $scope }} */}}
{{- define "voiceplat-lib.network.ingress" -}}
{{- $ingress := .svc.ingress -}}
{{- $global := .ctx.Values.global.ingress -}}
{{- if $ingress.enabled }}
{{- $host := tpl (required (printf "services.%s.ingress.host is empty: set the public host name" .name) $ingress.host) .ctx }}
{{- if not (regexMatch "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$" $host) }}
{{- fail (printf "services.%s.ingress.host renders to %q, which is not a DNS name: set global.ingress.domain (the delivery stack passes the environment's domain) or the host itself" .name $host) }}
{{- end }}
{{- $hosts := list $host }}
{{- with $global.globalDomain }}
{{- if not (hasSuffix (printf ".%s" $global.domain) $host) }}
{{- fail (printf "services.%s.ingress.host renders to %q, outside global.ingress.domain %q: a global name can only replace the domain of a host under it" $.name $host $global.domain) }}
{{- end }}
{{- $hosts = append $hosts (printf "%s.%s" (trimSuffix (printf ".%s" $global.domain) $host) .) }}
{{- end }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  {{- include "voiceplat-lib.labels.metadata" . | nindent 2 }}
  {{- $annotations := merge (deepCopy ($ingress.annotations | default dict)) ($global.annotations | default dict) }}
  {{- with $annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  ingressClassName: {{ $global.className }}
  {{- if $global.tls.enabled }}
  tls:
    - hosts: [{{ range $index, $each := $hosts }}{{ if $index }}, {{ end }}{{ $each | quote }}{{ end }}]
      {{- with $global.tls.secretName }}
      secretName: {{ . }}
      {{- end }}
  {{- end }}
  rules:
    {{- range $hosts }}
    - host: {{ . | quote }}
      http:
        paths:
          - path: {{ $ingress.path }}
            pathType: Prefix
            backend:
              service:
                name: {{ include "voiceplat-lib.names.service" $ }}
                port:
                  name: http
    {{- end }}
{{- end }}
{{- end -}}
