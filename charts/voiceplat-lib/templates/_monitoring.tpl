{{/*
Monitoring: a ServiceMonitor per service and a PrometheusRule with its alerts. Both are CRDs of the
Prometheus Operator, so each has a switch in `global.monitoring` (off on a cluster without the operator).
The `job` label Prometheus gives the series is the Service's name.
*/}}

{{/* ServiceMonitor scraping the service's metrics port.
Usage: {{- include "voiceplat-lib.monitoring.serviceMonitor" $scope }} */}}
{{- define "voiceplat-lib.monitoring.serviceMonitor" -}}
{{- $monitoring := .ctx.Values.global.monitoring -}}
{{- if and $monitoring.serviceMonitor.enabled .svc.metrics.enabled }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "voiceplat-lib.names.service" . }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "voiceplat-lib.labels.standard" . | nindent 4 }}
    {{- with $monitoring.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  jobLabel: app.kubernetes.io/name
  namespaceSelector:
    matchNames: [{{ .ctx.Release.Namespace }}]
  selector:
    matchLabels:
      {{- include "voiceplat-lib.labels.selector" . | nindent 6 }}
  endpoints:
    - port: {{ .svc.metrics.port }}
      path: {{ .svc.metrics.path }}
      interval: {{ $monitoring.serviceMonitor.interval }}
      scrapeTimeout: {{ $monitoring.serviceMonitor.scrapeTimeout }}
{{- end }}
{{- end -}}

{{/* The alert rules of one service: down, restarts, HPA at maximum, HTTP errors and latency (when the
service serves HTTP traffic), and the service's own `alerts.extra`.
Usage: {{- include "voiceplat-lib.monitoring.rules" $scope | nindent 8 }} */}}
{{- define "voiceplat-lib.monitoring.rules" -}}
{{- $alerts := .svc.alerts -}}
{{- $camel := include "voiceplat-lib.names.camel" .name -}}
{{- $job := printf "job=%q,namespace=%q" .name .ctx.Release.Namespace -}}
{{- $labels := dict "service" .name "team" $alerts.team -}}
- alert: {{ $camel }}Down
  expr: sum(up{ {{- $job -}} }) == 0 or absent(up{ {{- $job -}} })
  for: {{ $alerts.downFor }}
  labels: {{- toYaml (merge (dict "severity" "critical") $labels) | nindent 4 }}
  annotations:
    summary: {{ printf "No %s target is up in %s" .name .ctx.Release.Namespace | quote }}
    description: {{ printf "Prometheus scraped no healthy pod of the service for %s." $alerts.downFor | quote }}
- alert: {{ $camel }}Restarting
  expr: sum(increase(kube_pod_container_status_restarts_total{namespace="{{ .ctx.Release.Namespace }}",container="{{ .name }}"}[1h])) > {{ $alerts.restartsPerHour }}
  for: 10m
  labels: {{- toYaml (merge (dict "severity" "warning") $labels) | nindent 4 }}
  annotations:
    summary: {{ printf "%s containers restarted more than %v times in an hour" .name $alerts.restartsPerHour | quote }}
{{- if .svc.hpa.enabled }}
- alert: {{ $camel }}AtMaxReplicas
  expr: kube_horizontalpodautoscaler_status_current_replicas{namespace="{{ .ctx.Release.Namespace }}",horizontalpodautoscaler="{{ .name }}"} >= kube_horizontalpodautoscaler_spec_max_replicas{namespace="{{ .ctx.Release.Namespace }}",horizontalpodautoscaler="{{ .name }}"}
  for: 15m
  labels: {{- toYaml (merge (dict "severity" "warning") $labels) | nindent 4 }}
  annotations:
    summary: {{ printf "%s has run at its HPA maximum for 15 minutes: raise maxReplicas or add capacity" .name | quote }}
{{- end }}
{{- if $alerts.http.enabled }}
- alert: {{ $camel }}HighErrorRatio
  expr: sum(rate(http_requests_total{ {{- $job -}} ,code=~"5.."}[5m])) / sum(rate(http_requests_total{ {{- $job -}} }[5m])) > {{ $alerts.http.errorRatio }}
  for: 5m
  labels: {{- toYaml (merge (dict "severity" "critical") $labels) | nindent 4 }}
  annotations:
    summary: {{ printf "More than %v%% of %s requests fail with 5xx" (mulf $alerts.http.errorRatio 100) .name | quote }}
- alert: {{ $camel }}HighLatencyP95
  expr: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{ {{- $job -}} }[5m]))) > {{ $alerts.http.latencyP95Seconds }}
  for: 10m
  labels: {{- toYaml (merge (dict "severity" "warning") $labels) | nindent 4 }}
  annotations:
    summary: {{ printf "%s p95 latency is above %vs" .name $alerts.http.latencyP95Seconds | quote }}
{{- end }}
{{- $ctx := .ctx }}
{{- range $alerts.extra }}
- alert: {{ .alert }}
  expr: {{ tpl .expr $ctx | quote }}
  for: {{ .for }}
  labels: {{- toYaml (merge (dict "severity" .severity) $labels) | nindent 4 }}
  annotations:
    summary: {{ .summary | quote }}
{{- end }}
{{- end -}}

{{/* PrometheusRule with the service's alerts.
Usage: {{- include "voiceplat-lib.monitoring.prometheusRule" $scope }} */}}
{{- define "voiceplat-lib.monitoring.prometheusRule" -}}
{{- $monitoring := .ctx.Values.global.monitoring -}}
{{- if and $monitoring.prometheusRule.enabled .svc.alerts.enabled }}
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: {{ include "voiceplat-lib.names.service" . }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "voiceplat-lib.labels.standard" . | nindent 4 }}
    {{- with $monitoring.prometheusRule.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  groups:
    - name: {{ .name }}.rules
      rules:
        {{- include "voiceplat-lib.monitoring.rules" . | nindent 8 }}
{{- end }}
{{- end -}}
