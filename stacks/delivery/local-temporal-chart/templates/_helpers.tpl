{{/* Selector labels of one component. Usage: {{ include "local-temporal.selector" "postgresql" }} */}}
{{- define "local-temporal.selector" -}}
app.kubernetes.io/name: temporal
app.kubernetes.io/component: {{ . }}
{{- end -}}

{{/* Pod security settings (restricted profile) for a UID:GID. Usage:
{{- include "local-temporal.podSecurity" (dict "uid" 65534 "gid" 65534) | nindent 6 }} */}}
{{- define "local-temporal.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .uid }}
  runAsGroup: {{ .gid }}
  fsGroup: {{ .gid }}
  seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{/* Usage: {{- include "local-temporal.containerSecurity" . | nindent 10 }} */}}
{{- define "local-temporal.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities: {drop: [ALL]}
{{- end -}}

{{/* Temporal's SQL connection settings as temporal-sql-tool reads them (SQL_* variables).
Usage: {{- include "local-temporal.sqlEnv" . | nindent 12 }} */}}
{{- define "local-temporal.sqlEnv" -}}
- {name: SQL_PLUGIN, value: postgres12}
- {name: SQL_HOST, value: temporal-postgresql}
- {name: SQL_PORT, value: "5432"}
- {name: SQL_USER, value: temporal}
- name: SQL_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ .Values.passwordSecret }}, key: password}}
{{- end -}}
