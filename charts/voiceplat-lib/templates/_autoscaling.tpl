{{/*
Autoscaling. An HPA scales on CPU and memory utilisation and on the service's custom Prometheus
metrics (`hpa.custom`, served by prometheus-adapter with the rules that _adapter.tpl renders from
the same entries). `global.autoscaling.metrics` turns each kind off cluster-wide (a cluster without prometheus-adapter).
*/}}

{{/* The metrics list of a service's HPA (fails when nothing is left to scale on).
Usage: metrics: {{- include "voiceplat-lib.autoscaling.metrics" $scope | nindent 4 }} */}}
{{- define "voiceplat-lib.autoscaling.metrics" -}}
{{- $hpa := .svc.hpa -}}
{{- $enabled := .ctx.Values.global.autoscaling.metrics -}}
{{- $metrics := list -}}
{{- range $resource := list "cpu" "memory" -}}
{{- $target := get $hpa (printf "%sUtilization" $resource) -}}
{{- if and (get $enabled $resource) $target -}}
{{- $metrics = append $metrics (dict "type" "Resource" "resource" (dict "name" $resource "target" (dict "type" "Utilization" "averageUtilization" $target))) -}}
{{- end -}}
{{- end -}}
{{- if $enabled.custom -}}
{{- range $hpa.custom -}}
{{- $target := dict "type" "AverageValue" "averageValue" (toString .target) -}}
{{- $metric := dict "name" .name -}}
{{- if eq .type "External" -}}
{{- with .selector }}{{ $_ := set $metric "selector" (dict "matchLabels" .) }}{{ end -}}
{{- $metrics = append $metrics (dict "type" "External" "external" (dict "metric" $metric "target" $target)) -}}
{{- else -}}
{{- $metrics = append $metrics (dict "type" "Pods" "pods" (dict "metric" $metric "target" $target)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if not $metrics -}}
{{- fail (printf "services.%s.hpa is enabled but has no metric left: set cpuUtilization/memoryUtilization or hpa.custom, or disable the HPA" .name) -}}
{{- end -}}
{{- toYaml $metrics -}}
{{- end -}}

{{/* HorizontalPodAutoscaler and PodDisruptionBudget of one service (each when enabled).
Usage: {{- include "voiceplat-lib.autoscaling.all" $scope }} */}}
{{- define "voiceplat-lib.autoscaling.all" -}}
{{- $svc := .svc -}}
{{- if $svc.hpa.enabled }}
{{- if gt (int $svc.hpa.minReplicas) (int $svc.hpa.maxReplicas) }}
{{- fail (printf "services.%s.hpa.minReplicas (%v) is above maxReplicas (%v): raise maxReplicas or lower minReplicas" .name $svc.hpa.minReplicas $svc.hpa.maxReplicas) }}
{{- end }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  {{- include "voiceplat-lib.labels.metadata" . | nindent 2 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "voiceplat-lib.names.service" . }}
  minReplicas: {{ $svc.hpa.minReplicas }}
  maxReplicas: {{ $svc.hpa.maxReplicas }}
  metrics:
    {{- include "voiceplat-lib.autoscaling.metrics" . | nindent 4 }}
  behavior:
    {{- toYaml $svc.hpa.behavior | nindent 4 }}
{{- end }}
{{- if $svc.pdb.enabled }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  {{- include "voiceplat-lib.labels.metadata" . | nindent 2 }}
spec:
  {{- if $svc.pdb.minAvailable }}
  minAvailable: {{ $svc.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ $svc.pdb.maxUnavailable }}
  {{- end }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "voiceplat-lib.labels.selector" . | nindent 6 }}
{{- end }}
{{- end -}}
