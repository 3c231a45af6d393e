{{/*
prometheus-adapter rules, rendered from the same `hpa.custom` entries the HPAs use, so a metric an HPA
asks for always has the rule that serves it. The delivery stack collects `rules.yaml` of every chart
(`helm template ... --show-only templates/adapter-rules.yaml`) into the prometheus-adapter release.
*/}}

{{/* One adapter rule (Pods -> `rules`, External -> `externalRules`) as a dict, added to .out under its kind.
Usage: {{- include "voiceplat-lib.adapter.ruleInto" (dict "metric" $m "service" "voice" "out" $rules) -}} */}}
{{- define "voiceplat-lib.adapter.ruleInto" -}}
{{- $adapter := .metric.adapter -}}
{{- $selector := "<<.LabelMatchers>>" -}}
{{- $inner := printf "<<.Series>>{%s}" $selector -}}
{{- if eq $adapter.aggregation "rate" -}}
{{- $inner = printf "rate(%s[%s])" $inner ($adapter.rateWindow | default "2m") -}}
{{- end -}}
{{- $function := ternary "avg" "sum" (eq $adapter.aggregation "avg") -}}
{{- if eq $adapter.aggregation "max" }}{{ $function = "max" }}{{ end -}}
{{- $rule := dict "name" (dict "matches" (printf "^%s$" $adapter.series) "as" .metric.name) -}}
{{- if eq .metric.type "External" -}}
{{- $_ := set $rule "seriesQuery" $adapter.series -}}
{{- $_ := set $rule "resources" (dict "namespaced" false) -}}
{{- $_ := set $rule "metricsQuery" (printf "%s(%s)" $function $inner) -}}
{{- $_ := set .out "externalRules" (append .out.externalRules $rule) -}}
{{- else -}}
{{- $labels := $adapter.resourceLabels | default (dict "namespace" "namespace" "pod" "pod") -}}
{{- $_ := set $rule "seriesQuery" (printf "%s{%s!=\"\",%s!=\"\"}" $adapter.series $labels.namespace $labels.pod) -}}
{{- $overrides := dict $labels.namespace (dict "resource" "namespace") $labels.pod (dict "resource" "pod") -}}
{{- $_ := set $rule "resources" (dict "overrides" $overrides) -}}
{{- $_ := set $rule "metricsQuery" (printf "%s(%s) by (<<.GroupBy>>)" $function $inner) -}}
{{- $_ := set .out "rules" (append .out.rules $rule) -}}
{{- end -}}
{{- end -}}

{{/* `rules` and `externalRules` of every enabled service's HPA, one rule per metric name (a name that two
services define differently fails the render).
Usage: {{ include "voiceplat-lib.adapter.rules" $ }} */}}
{{- define "voiceplat-lib.adapter.rules" -}}
{{- $services := dict -}}
{{- include "voiceplat-lib.values.services" (dict "ctx" . "out" $services) -}}
{{- $out := dict "rules" (list) "externalRules" (list) -}}
{{- $seen := dict -}}
{{- range $name, $svc := $services -}}
{{- if $svc.hpa.enabled -}}
{{- range $svc.hpa.custom -}}
{{- $definition := toJson (pick . "type" "adapter") -}}
{{- $earlier := get $seen .name -}}
{{- if not $earlier -}}
{{- $_ := set $seen .name (dict "service" $name "definition" $definition) -}}
{{- include "voiceplat-lib.adapter.ruleInto" (dict "metric" . "out" $out) -}}
{{- else if ne $earlier.definition $definition -}}
{{- fail (printf "custom metric %q is defined differently by services %s and %s: give one of them another metric name or the same adapter settings" .name $earlier.service $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* ConfigMap holding the chart's adapter rules (when custom metrics and the rules are enabled).
Usage: {{- include "voiceplat-lib.adapter.configmap" $ }} */}}
{{- define "voiceplat-lib.adapter.configmap" -}}
{{- $monitoring := .Values.global.monitoring -}}
{{- if and $monitoring.adapterRules.enabled .Values.global.autoscaling.metrics.custom }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "voiceplat-lib.names.release" (dict "ctx" . "suffix" "adapter-rules") }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "voiceplat-lib.labels.chart" . | nindent 4 }}
    voiceplat.io/prometheus-adapter-rules: "true"
data:
  rules.yaml: |
    {{- include "voiceplat-lib.adapter.rules" . | nindent 4 }}
{{- end }}
{{- end -}}
