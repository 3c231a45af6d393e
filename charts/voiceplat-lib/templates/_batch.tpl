{{/*
Batch work: a `batch.<name>` entry runs a service's image, config, secrets and scheduling as a CronJob
(when it has a `schedule`) or as a Job run after each install and upgrade (a Helm hook, so a changed
template never hits the Job's immutable fields). Its pods carry their own name label, so the owning
service's Service never sends them traffic.
*/}}

{{/* Jobs and CronJobs of every enabled `batch` entry.
Usage: {{- include "voiceplat-lib.batch.all" $ }} */}}
{{- define "voiceplat-lib.batch.all" -}}
{{- range $name, $entry := .Values.batch -}}
{{- if $entry.enabled -}}
{{- $owner := dict -}}
{{- include "voiceplat-lib.values.scopeInto" (dict "ctx" $ "name" $entry.service "out" $owner) -}}
{{- $batch := merge (dict "restartPolicy" "Never") (deepCopy $entry) -}}
{{- $scope := dict "ctx" $ "name" $name "svc" $owner.svc "owner" $entry.service "batch" $batch -}}
{{- include "voiceplat-lib.batch.one" $scope -}}
{{- include "voiceplat-lib.network.policy" $scope -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* One CronJob or hook Job from a batch scope.
Usage: {{- include "voiceplat-lib.batch.one" $batchScope }} */}}
{{- define "voiceplat-lib.batch.one" -}}
{{- $batch := .batch }}
---
apiVersion: batch/v1
kind: {{ if $batch.schedule }}CronJob{{ else }}Job{{ end }}
metadata:
  {{- include "voiceplat-lib.labels.metadata" . | nindent 2 }}
  annotations:
    {{- if not $batch.schedule }}
    helm.sh/hook: post-install,post-upgrade
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
    {{- end }}
    {{- include "voiceplat-lib.workload.checkovSkips" .ctx | nindent 4 }}
spec:
{{- if $batch.schedule }}
  schedule: {{ $batch.schedule | quote }}
  timeZone: {{ $batch.timeZone | default "Etc/UTC" }}
  suspend: {{ $batch.suspend | default false }}
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 600
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      {{- include "voiceplat-lib.batch.jobSpec" . | nindent 6 }}
{{- else }}
  {{- include "voiceplat-lib.batch.jobSpec" . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The spec of a Job (also a CronJob's jobTemplate.spec).
Usage: spec: {{- include "voiceplat-lib.batch.jobSpec" $batchScope | nindent 2 }} */}}
{{- define "voiceplat-lib.batch.jobSpec" -}}
backoffLimit: {{ .batch.backoffLimit }}
activeDeadlineSeconds: {{ .batch.activeDeadlineSeconds }}
ttlSecondsAfterFinished: {{ .batch.ttlSecondsAfterFinished }}
template:
  metadata:
    labels:
      {{- include "voiceplat-lib.labels.standard" . | nindent 6 }}
    annotations:
      checksum/config: {{ include "voiceplat-lib.workload.configData" (dict "ctx" .ctx "name" .owner "svc" .svc) | sha256sum }}
  spec:
    {{- include "voiceplat-lib.pod.spec" . | nindent 4 }}
{{- end -}}
