{{/*
Labels. Selector labels are the minimal immutable pair (name + instance); everything else goes in
the standard labels, which may change between releases.
*/}}

{{/* Selector labels of one service.
Usage: {{- include "voiceplat-lib.labels.selector" $scope | nindent 4 }} */}}
{{- define "voiceplat-lib.labels.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- end -}}

{{/* Labels every object of the chart carries.
Usage: {{- include "voiceplat-lib.labels.chart" $ | nindent 4 }} */}}
{{- define "voiceplat-lib.labels.chart" -}}
app.kubernetes.io/part-of: voiceplat
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ include "voiceplat-lib.names.chart" . }}
voiceplat.io/environment: {{ .Values.global.environment }}
{{- end -}}

{{/* All labels of one service's objects.
Usage: {{- include "voiceplat-lib.labels.standard" $scope | nindent 4 }} */}}
{{- define "voiceplat-lib.labels.standard" -}}
{{ include "voiceplat-lib.labels.selector" . }}
app.kubernetes.io/component: {{ .svc.component }}
app.kubernetes.io/version: {{ include "voiceplat-lib.image.tag" . | quote }}
{{ include "voiceplat-lib.labels.chart" .ctx }}
{{- end -}}

{{/* Metadata block (name, namespace, labels) of a service's object; `.suffix` is appended to the name.
Usage: metadata: {{- include "voiceplat-lib.labels.metadata" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.labels.metadata" -}}
name: {{ include "voiceplat-lib.names.service" . }}{{ with .suffix }}-{{ . }}{{ end }}
namespace: {{ .ctx.Release.Namespace }}
labels:
  {{- include "voiceplat-lib.labels.standard" . | nindent 2 }}
{{- end -}}
