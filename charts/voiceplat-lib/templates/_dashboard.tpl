{{/*
Grafana dashboards as ConfigMaps, one per service, labelled for the Grafana sidecar of
kube-prometheus-stack (`global.monitoring.dashboards.label`), filed in a folder by annotation.
*/}}

{{/* One timeseries panel as a dict; .index places it on a two-column grid.
Usage: {{- $panel := include "voiceplat-lib.dashboard.panel" (dict "index" 0 "title" "t" "expr" "e" "unit" "short") | fromJson -}} */}}
{{- define "voiceplat-lib.dashboard.panel" -}}
{{- $index := int .index -}}
{{- $grid := dict "h" 8 "w" 12 "x" (mul (mod $index 2) 12) "y" (mul (div $index 2) 8) -}}
{{- $target := dict "expr" .expr "legendFormat" (.legend | default "{{pod}}") "refId" "A" -}}
{{- $datasource := dict "type" "prometheus" "uid" "${datasource}" -}}
{{- $defaults := dict "unit" .unit -}}
{{- toJson (dict "id" (add1 $index) "type" "timeseries" "title" .title "gridPos" $grid "datasource" $datasource "targets" (list $target) "fieldConfig" (dict "defaults" $defaults "overrides" (list))) -}}
{{- end -}}

{{/* The dashboard JSON of one service.
Usage: {{ include "voiceplat-lib.dashboard.json" $scope }} */}}
{{- define "voiceplat-lib.dashboard.json" -}}
{{- $ns := .ctx.Release.Namespace -}}
{{- $job := printf "job=%q,namespace=%q" .name $ns -}}
{{- $container := printf "namespace=%q,container=%q" $ns .name -}}
{{- $specs := list -}}
{{- if .svc.alerts.http.enabled -}}
{{- $specs = append $specs (dict "title" "Requests per second" "unit" "reqps" "legend" "{{code}}" "expr" (printf "sum by (code) (rate(http_requests_total{%s}[5m]))" $job)) -}}
{{- $specs = append $specs (dict "title" "p95 latency" "unit" "s" "legend" "p95" "expr" (printf "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{%s}[5m])))" $job)) -}}
{{- end -}}
{{- $specs = append $specs (dict "title" "CPU (cores)" "unit" "short" "expr" (printf "sum by (pod) (rate(container_cpu_usage_seconds_total{%s}[5m]))" $container)) -}}
{{- $specs = append $specs (dict "title" "Memory working set" "unit" "bytes" "expr" (printf "sum by (pod) (container_memory_working_set_bytes{%s})" $container)) -}}
{{- $specs = append $specs (dict "title" "Replicas (available)" "unit" "short" "legend" "available" "expr" (printf "kube_deployment_status_replicas_available{namespace=%q,deployment=%q}" $ns .name)) -}}
{{- range .svc.hpa.custom -}}
{{- $selector := ternary "" (printf "namespace=%q" $ns) (eq .type "External") -}}
{{- $specs = append $specs (dict "title" (printf "%s (HPA target %v)" .name .target) "unit" "short" "legend" .name "expr" (printf "sum(%s{%s})" .adapter.series $selector)) -}}
{{- end -}}
{{- $panels := list -}}
{{- range $index, $spec := $specs -}}
{{- $panels = append $panels (include "voiceplat-lib.dashboard.panel" (merge (dict "index" $index) $spec) | fromJson) -}}
{{- end -}}
{{- $variable := dict "name" "datasource" "type" "datasource" "query" "prometheus" "label" "Data source" -}}
{{- $dashboard := dict "title" (printf "voiceplat / %s" .name) "uid" (printf "voiceplat-%s" .name | trunc 40) "tags" (list "voiceplat" .svc.component) -}}
{{- $_ := set $dashboard "schemaVersion" 39 -}}
{{- $_ := set $dashboard "refresh" "30s" -}}
{{- $_ := set $dashboard "time" (dict "from" "now-6h" "to" "now") -}}
{{- $_ := set $dashboard "templating" (dict "list" (list $variable)) -}}
{{- $_ := set $dashboard "annotations" (dict "list" (list)) -}}
{{- $_ := set $dashboard "panels" $panels -}}
{{- toPrettyJson $dashboard -}}
{{- end -}}

{{/* The dashboard ConfigMap of one service (when dashboards are enabled).
Usage: {{- include "voiceplat-lib.dashboard.configmap" $scope }} */}}
{{- define "voiceplat-lib.dashboard.configmap" -}}
{{- $dashboards := .ctx.Values.global.monitoring.dashboards -}}
{{- if $dashboards.enabled }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "voiceplat-lib.names.service" . }}-dashboard
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "voiceplat-lib.labels.standard" . | nindent 4 }}
    {{ $dashboards.label }}: {{ $dashboards.labelValue | quote }}
  annotations:
    {{ $dashboards.folderAnnotation }}: {{ $dashboards.folder | quote }}
data:
  {{ .name }}.json: |
    {{- include "voiceplat-lib.dashboard.json" . | nindent 4 }}
{{- end }}
{{- end -}}
