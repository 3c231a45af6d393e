{{/* Name of one of the release's objects: `<release>-<part>`.
Usage: {{ include "locust.name" (dict "ctx" $ "part" "master") }} */}}
{{- define "locust.name" -}}
{{- printf "%s-%s" .ctx.Release.Name .part | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Selector labels of the master or the workers (minimal and immutable).
Usage: {{- include "locust.selector" (dict "ctx" $ "part" "worker") | nindent 6 }} */}}
{{- define "locust.selector" -}}
app.kubernetes.io/name: locust-{{ .part }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- end -}}

{{/* All labels of an object of the release.
Usage: {{- include "locust.labels" (dict "ctx" $ "part" "master") | nindent 4 }} */}}
{{- define "locust.labels" -}}
{{ include "locust.selector" . }}
app.kubernetes.io/component: {{ .part }}
app.kubernetes.io/part-of: voiceplat
app.kubernetes.io/version: {{ .ctx.Values.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
helm.sh/chart: {{ include "voiceplat-lib.names.chart" .ctx }}
{{- end -}}

{{/* The image reference; an empty tag fails the render naming the fix.
Usage: image: {{ include "locust.image" $ }} */}}
{{- define "locust.image" -}}
{{- if not .Values.image.tag -}}
{{- fail "image.tag is empty: set it to the tag `python -m loadtests.cluster_image` printed (make loadtest does)" -}}
{{- end -}}
{{- printf "%s:%s" .Values.image.repository .Values.image.tag | quote -}}
{{- end -}}

{{/* ConfigMap key of a file path (keys may not contain `/`).
Usage: {{ include "locust.fileKey" "loadtests/gate.py" }} */}}
{{- define "locust.fileKey" -}}
{{- . | replace "/" "__" -}}
{{- end -}}

{{/* Options master and workers share: the files, the environment, in-cluster hosts.
Usage: {{- include "locust.commonArgs" $ | nindent 12 }} */}}
{{- define "locust.commonArgs" -}}
- -f
- {{ join "," .Values.run.locustfiles | quote }}
- --target-env
- {{ .Values.run.targetEnv | quote }}
- --in-cluster
{{- end -}}

{{/* The pod-level parts every locust pod shares: no token, no service links, restricted security.
Usage: {{- include "locust.podBasics" $ | nindent 6 }} */}}
{{- define "locust.podBasics" -}}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- include "voiceplat-lib.security.pod" (dict "svc" .Values) | nindent 2 }}
{{- end -}}

{{/* Volumes of a locust pod: the loadtests/ tree from the ConfigMap, and a writable /tmp.
Usage: volumes: {{- include "locust.volumes" $ | nindent 8 }} */}}
{{- define "locust.volumes" -}}
- name: files
  configMap:
    name: {{ include "locust.name" (dict "ctx" . "part" "files") }}
    items:
      {{- range $path, $_ := .Values.files }}
      - key: {{ include "locust.fileKey" $path }}
        path: {{ $path }}
      {{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{/* Mounts matching locust.volumes.
Usage: volumeMounts: {{- include "locust.volumeMounts" $ | nindent 12 }} */}}
{{- define "locust.volumeMounts" -}}
- name: files
  mountPath: /mnt/locust
  readOnly: true
- name: tmp
  mountPath: /tmp
{{- end -}}
