{{/* Pod and container security settings every component here runs with (restricted profile).
Usage: {{- include "local-monitoring.podSecurity" . | nindent 6 }} */}}
{{- define "local-monitoring.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 65534
  runAsGroup: 65534
  fsGroup: 65534
  seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{/* Usage: {{- include "local-monitoring.containerSecurity" . | nindent 10 }} */}}
{{- define "local-monitoring.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: {drop: [ALL]}
{{- end -}}
