{{/*
Pod spec shared by Deployments, Jobs and CronJobs. A batch scope adds `.batch` (the batch entry) and
`.owner` (the owning service's name).
*/}}

{{/* The pod spec of a service or batch entry.
Usage: spec: {{- include "voiceplat-lib.pod.spec" $scope | nindent 6 }} */}}
{{- define "voiceplat-lib.pod.spec" -}}
{{- $svc := .svc -}}
serviceAccountName: {{ .owner | default (include "voiceplat-lib.names.service" .) }}
automountServiceAccountToken: {{ $svc.serviceAccount.automountToken }}
enableServiceLinks: false
{{- with .batch }}
restartPolicy: {{ .restartPolicy }}
{{- end }}
terminationGracePeriodSeconds: {{ $svc.terminationGracePeriodSeconds }}
securityContext:
  {{- include "voiceplat-lib.security.pod" . | nindent 2 }}
{{- include "voiceplat-lib.scheduling.pod" . }}
containers:
  - name: {{ .name }}
    {{- include "voiceplat-lib.pod.container" . | nindent 4 }}
volumes:
  {{- include "voiceplat-lib.pod.volumes" . | nindent 2 }}
{{- end -}}

{{/* The service's container, without its name.
Usage: - name: x {{- include "voiceplat-lib.pod.container" $scope | nindent 4 }} */}}
{{- define "voiceplat-lib.pod.container" -}}
{{- $svc := .svc -}}
image: {{ include "voiceplat-lib.image.ref" . | quote }}
imagePullPolicy: {{ $svc.image.pullPolicy }}
{{- $command := $svc.command -}}
{{- $args := $svc.args -}}
{{- with .batch }}{{ $command = .command | default $command }}{{ $args = .args }}{{ end }}
{{- with $command }}
command: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $args }}
args: {{- toYaml . | nindent 2 }}
{{- end }}
{{- if not .batch }}
ports:
  {{- range $portName, $port := $svc.ports }}
  - name: {{ $portName }}
    containerPort: {{ $port }}
    protocol: TCP
  {{- end }}
{{- end }}
envFrom:
  - configMapRef:
      name: {{ .owner | default (include "voiceplat-lib.names.service" .) }}-config
{{- include "voiceplat-lib.secrets.env" . }}
resources:
  {{- include "voiceplat-lib.pod.resources" . | nindent 2 }}
{{- if not .batch }}
{{- include "voiceplat-lib.probes.container" . }}
{{- with $svc.preStop }}
{{- if .enabled }}
lifecycle:
  preStop:
    sleep:
      seconds: {{ .sleepSeconds }}
{{- end }}
{{- end }}
{{- end }}
securityContext:
  {{- include "voiceplat-lib.security.container" . | nindent 2 }}
volumeMounts:
  - name: tmp
    mountPath: /tmp
  {{- with $svc.dataVolume }}
  {{- if .enabled }}
  - name: data
    mountPath: {{ .mountPath }}
  {{- end }}
  {{- end }}
  {{- include "voiceplat-lib.secrets.volumeMount" . | nindent 2 }}
{{- end -}}

{{/* Requests and limits; GPU services add the GPU resource to both.
Usage: resources: {{- include "voiceplat-lib.pod.resources" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.pod.resources" -}}
{{- $resources := deepCopy .svc.resources -}}
{{- with .batch }}{{ with .resources }}{{ $resources = deepCopy . }}{{ end }}{{ end }}
{{- $dataMi := include "voiceplat-lib.storage.emptyDirDataMi" . | atoi -}}
{{- if and $dataMi (hasKey ($resources.limits | default dict) "ephemeral-storage") -}}
{{- $limitMi := include "voiceplat-lib.storage.mebibytes" (dict "quantity" (get $resources.limits "ephemeral-storage") "key" (printf "services.%s.resources.limits.ephemeral-storage" .name)) | atoi -}}
{{- $_ := set $resources.limits "ephemeral-storage" (printf "%dMi" (add $limitMi $dataMi)) -}}
{{- end -}}
{{- if .svc.gpu.enabled -}}
{{- $gpuResource := .ctx.Values.global.scheduling.gpu.resource -}}
{{- $_ := set $resources.requests $gpuResource .svc.gpu.count -}}
{{- $_ := set $resources.limits $gpuResource .svc.gpu.count -}}
{{- end -}}
{{- toYaml $resources -}}
{{- end -}}

{{/* Pod volumes: a writable /tmp, the optional data volume, the secrets-store volume.
Usage: volumes: {{- include "voiceplat-lib.pod.volumes" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.pod.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .svc.tmpSizeLimit }}
{{- with .svc.dataVolume }}
{{- if .enabled }}
{{- include "voiceplat-lib.storage.volume" (dict "ctx" $.ctx "name" ($.owner | default $.name) "volume" .) }}
{{- end }}
{{- end }}
{{- include "voiceplat-lib.secrets.volume" . }}
{{- end -}}
