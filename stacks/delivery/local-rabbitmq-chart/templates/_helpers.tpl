{{/* Selector labels of the broker's pods (name + instance, immutable).
Usage: {{ include "local-rabbitmq.selector" . }} */}}
{{- define "local-rabbitmq.selector" -}}
app.kubernetes.io/name: rabbitmq
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Every object's labels.
Usage: {{ include "local-rabbitmq.labels" . }} */}}
{{- define "local-rabbitmq.labels" -}}
{{ include "local-rabbitmq.selector" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
