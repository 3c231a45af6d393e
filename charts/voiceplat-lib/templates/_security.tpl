{{/*
Security contexts that satisfy the Pod Security Standards "restricted" profile. They are not
switchable: only the numeric ids come from values.
*/}}

{{/* Pod-level security context.
Usage: securityContext: {{- include "voiceplat-lib.security.pod" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.security.pod" -}}
runAsNonRoot: true
runAsUser: {{ .svc.security.runAsUser }}
runAsGroup: {{ .svc.security.runAsGroup }}
fsGroup: {{ .svc.security.runAsGroup }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level security context.
Usage: securityContext: {{- include "voiceplat-lib.security.container" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.security.container" -}}
runAsNonRoot: true
runAsUser: {{ .svc.security.runAsUser }}
runAsGroup: {{ .svc.security.runAsGroup }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}
