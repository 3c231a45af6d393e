{{/* Selector labels of one component (minimal, immutable): name + instance.
Usage: {{- include "local-livekit.selector" (dict "name" "livekit" "ctx" $) | nindent 6 }} */}}
{{- define "local-livekit.selector" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- end -}}

{{/* Every label of one component's objects.
Usage: {{- include "local-livekit.labels" (dict "name" "livekit" "ctx" $) | nindent 4 }} */}}
{{- define "local-livekit.labels" -}}
{{ include "local-livekit.selector" . }}
app.kubernetes.io/part-of: livekit
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
helm.sh/chart: {{ .ctx.Chart.Name }}-{{ .ctx.Chart.Version }}
{{- end -}}

{{/* Pod security every component runs with (the restricted profile: no host network on kind).
Usage: {{- include "local-livekit.podSecurity" 999 | nindent 6 }} (the UID) */}}
{{- define "local-livekit.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ . }}
  runAsGroup: {{ . }}
  fsGroup: {{ . }}
  seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{/* Usage: {{- include "local-livekit.containerSecurity" . | nindent 10 }} */}}
{{- define "local-livekit.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: {drop: [ALL]}
{{- end -}}

{{/* The namespaces admitted as LiveKit's clients, as NetworkPolicy peers.
Usage: {{- include "local-livekit.clients" $ | nindent 8 }} */}}
{{- define "local-livekit.clients" -}}
{{- range .Values.livekit.clientNamespaces }}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ . }}
{{- end }}
{{- end -}}
