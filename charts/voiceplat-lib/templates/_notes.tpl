{{/*
NOTES.txt body: how to reach each service of the release.
*/}}

{{/* One line per enabled service: in-cluster URL, NodePort or public host, and a port-forward command.
Usage: {{ include "voiceplat-lib.notes.services" $ }} */}}
{{- define "voiceplat-lib.notes.services" -}}
{{- $services := dict -}}
{{- include "voiceplat-lib.values.services" (dict "ctx" . "out" $services) -}}
{{ .Chart.Name }} ({{ .Values.global.environment }}{{ with .Values.global.cloud }}, {{ . }}{{ end }}{{ with .Values.global.region }}, {{ . }}{{ end }}) is installed in namespace {{ .Release.Namespace }}.

Services (HTTP on port 80 inside the cluster):
{{- range $name, $svc := $services }}
  {{ $name }}: {{ include "voiceplat-lib.names.url" (dict "ctx" $ "name" $name) }}
  {{- if eq $svc.service.type "NodePort" }}
    from outside: http://<node address>:{{ $svc.service.nodePort }}
  {{- end }}
  {{- if $svc.ingress.enabled }}
    public: http{{ if $.Values.global.ingress.tls.enabled }}s{{ end }}://{{ tpl $svc.ingress.host $ }}{{ $svc.ingress.path }}
  {{- end }}
    from your machine: kubectl -n {{ $.Release.Namespace }} port-forward svc/{{ $name }} 8080:80
{{- end }}

Check them all: helm test {{ .Release.Name }} -n {{ .Release.Namespace }}
{{- end -}}
