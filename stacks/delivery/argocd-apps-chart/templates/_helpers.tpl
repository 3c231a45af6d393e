{{/* argocd-apps-local.spec: an entry's non-empty fields but its namespace, as YAML (argocd-apps leaves empty ones
out). Usage: {{ include "argocd-apps-local.spec" $entry | nindent 2 }} */}}
{{- define "argocd-apps-local.spec" -}}
{{- $fields := dict -}}
{{- range $key, $value := omit . "namespace" -}}
{{- if or $value (kindIs "bool" $value) -}}
{{- $_ := set $fields $key $value -}}
{{- end -}}
{{- end -}}
{{- toYaml $fields -}}
{{- end -}}
