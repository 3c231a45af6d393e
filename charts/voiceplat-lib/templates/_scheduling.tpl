{{/*
Scheduling. General services run on the general pool (ARM by default); GPU services only on nodes
carrying the shared contract's GPU label, tolerating its taint. The label, taint and resource names
come from `global.scheduling`, whose defaults a test keeps equal to contract/__init__.py.
*/}}

{{/* nodeSelector / affinity / tolerations / topology spread of a service's pods.
Usage: {{- include "voiceplat-lib.scheduling.pod" $scope | nindent 6 }} */}}
{{- define "voiceplat-lib.scheduling.pod" -}}
{{- $sched := .ctx.Values.global.scheduling -}}
{{- $gpu := $sched.gpu -}}
{{- if .svc.gpu.enabled }}
affinity:
  nodeAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      nodeSelectorTerms:
        - matchExpressions:
            - key: {{ $gpu.nodeLabelKey }}
              operator: In
              values: [{{ $gpu.nodeLabelValue | quote }}]
  {{- include "voiceplat-lib.scheduling.antiAffinity" . | nindent 2 }}
tolerations:
  - key: {{ $gpu.taint.key }}
    operator: Equal
    value: {{ $gpu.taint.value | quote }}
    effect: {{ $gpu.taint.effect }}
{{- else }}
{{- $arch := .svc.nodeArch | default $sched.arch }}
{{- if or $arch $sched.generalPool }}
nodeSelector:
  {{- with $arch }}
  {{ $sched.archLabel }}: {{ . }}
  {{- end }}
  {{- with $sched.generalPool }}
  {{ $sched.poolLabel }}: {{ . }}
  {{- end }}
{{- end }}
{{- if ne .svc.antiAffinity "none" }}
affinity:
  {{- include "voiceplat-lib.scheduling.antiAffinity" . | nindent 2 }}
{{- end }}
{{- end }}
{{- include "voiceplat-lib.scheduling.spread" . }}
{{- end -}}

{{/* podAntiAffinity on hosts: `soft` prefers other hosts, `hard` requires them, `none` renders nothing.
Usage: affinity: {{- include "voiceplat-lib.scheduling.antiAffinity" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.scheduling.antiAffinity" -}}
{{- if eq .svc.antiAffinity "hard" }}
podAntiAffinity:
  requiredDuringSchedulingIgnoredDuringExecution:
    - topologyKey: kubernetes.io/hostname
      labelSelector:
        matchLabels:
          {{- include "voiceplat-lib.labels.selector" . | nindent 10 }}
{{- else if eq .svc.antiAffinity "soft" }}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "voiceplat-lib.labels.selector" . | nindent 12 }}
{{- end }}
{{- end -}}

{{/* Spread across zones and hosts (per rollout, through pod-template-hash).
Usage: {{- include "voiceplat-lib.scheduling.spread" $scope }} */}}
{{- define "voiceplat-lib.scheduling.spread" -}}
{{- $spread := .ctx.Values.global.scheduling.topologySpread -}}
{{- $scope := . -}}
{{- $constraints := list -}}
{{- range $key, $topologyKey := dict "zone" "topology.kubernetes.io/zone" "host" "kubernetes.io/hostname" -}}
{{- $rule := get $spread $key -}}
{{- if $rule.enabled -}}
{{- $constraints = append $constraints (dict "topologyKey" $topologyKey "rule" $rule) -}}
{{- end -}}
{{- end -}}
{{- if $constraints }}
topologySpreadConstraints:
{{- range $constraints }}
  - topologyKey: {{ .topologyKey }}
    maxSkew: {{ .rule.maxSkew }}
    whenUnsatisfiable: {{ .rule.whenUnsatisfiable }}
    matchLabelKeys: [pod-template-hash]
    labelSelector:
      matchLabels:
        {{- include "voiceplat-lib.labels.selector" $scope | nindent 8 }}
{{- end }}
{{- end }}
{{- end -}}
