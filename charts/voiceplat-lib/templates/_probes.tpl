{{/*
Probes. Liveness and readiness always; startup when `probes.startup.enabled` (services that load
models, so a slow start is not mistaken for a hung process).
*/}}

{{/* One HTTP probe; .probe is a probe's values, .port the container port name.
Usage: livenessProbe: {{- include "voiceplat-lib.probes.http" (dict "probe" $p "port" "http") | nindent 2 }} */}}
{{- define "voiceplat-lib.probes.http" -}}
httpGet:
  path: {{ .probe.path }}
  port: {{ .port }}
initialDelaySeconds: {{ .probe.initialDelaySeconds | default 0 }}
periodSeconds: {{ .probe.periodSeconds }}
timeoutSeconds: {{ .probe.timeoutSeconds }}
failureThreshold: {{ .probe.failureThreshold }}
successThreshold: 1
{{- end -}}

{{/* The container's probes.
Usage: {{- include "voiceplat-lib.probes.container" $scope | nindent 4 }} */}}
{{- define "voiceplat-lib.probes.container" -}}
{{- $probes := .svc.probes -}}
{{- if $probes.startup.enabled }}
startupProbe:
  {{- include "voiceplat-lib.probes.http" (dict "probe" $probes.startup "port" $probes.port) | nindent 2 }}
{{- end }}
livenessProbe:
  {{- include "voiceplat-lib.probes.http" (dict "probe" $probes.liveness "port" $probes.port) | nindent 2 }}
readinessProbe:
  {{- include "voiceplat-lib.probes.http" (dict "probe" $probes.readiness "port" $probes.port) | nindent 2 }}
{{- end -}}
