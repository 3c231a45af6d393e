{{/*
A service's workload: ServiceAccount, ConfigMap (plain settings and dependency URLs), Deployment,
Service. The pod template carries a checksum of the ConfigMap, so a config change rolls the pods.
*/}}

{{/* The ConfigMap's data: identity, dependency URLs, the service's `env`.
Usage: data: {{- include "voiceplat-lib.workload.configData" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.workload.configData" -}}
{{- $global := .ctx.Values.global -}}
{{- $data := dict "SERVICE_NAME" .name "VOICEPLAT_ENVIRONMENT" $global.environment "VOICEPLAT_CLOUD" $global.cloud "VOICEPLAT_REGION" $global.region -}}
{{- $_ := set $data "VOICEPLAT_DEPENDENCIES" (join "," .svc.dependencies) -}}
{{- range .svc.dependencies -}}
{{- $_ := set $data (printf "%s_URL" (include "voiceplat-lib.names.env" .)) (include "voiceplat-lib.names.url" (dict "ctx" $.ctx "name" .)) -}}
{{- end -}}
{{- range $key, $value := .svc.env -}}
{{- $_ := set $data $key (toString $value) -}}
{{- end -}}
{{- toYaml $data -}}
{{- end -}}

{{/* Checkov skip annotations from `global.checkov.skips` (check id -> documented reason).
Usage: annotations: {{- include "voiceplat-lib.workload.checkovSkips" $ | nindent 4 }} */}}
{{- define "voiceplat-lib.workload.checkovSkips" -}}
{{- $index := 0 -}}
{{- range $check, $reason := .Values.global.checkov.skips }}
{{- $index = add1 $index }}
checkov.io/skip{{ $index }}: {{ printf "%s=%s" $check $reason | quote }}
{{- end }}
{{- end -}}

{{/* ServiceAccount, ConfigMap, Deployment and Service of one service.
Usage: {{- include "voiceplat-lib.workload.all" $scope }} */}}
{{- define "voiceplat-lib.workload.all" -}}
{{- $svc := .svc }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  {{- include "voiceplat-lib.labels.metadata" . | nindent 2 }}
  {{- with $svc.serviceAccount.annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ $svc.serviceAccount.automountToken }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  {{- include "voiceplat-lib.labels.metadata" (merge (dict "suffix" "config") .) | nindent 2 }}
  annotations:
    voiceplat.io/depends-on: {{ join "," $svc.dependencies | quote }}
data:
  {{- include "voiceplat-lib.workload.configData" . | nindent 2 }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "voiceplat-lib.labels.metadata" . | nindent 2 }}
  annotations:
    voiceplat.io/depends-on: {{ join "," $svc.dependencies | quote }}
    {{- include "voiceplat-lib.workload.checkovSkips" .ctx | nindent 4 }}
spec:
  {{- if not $svc.hpa.enabled }}
  replicas: {{ $svc.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: {{ $svc.strategy.maxSurge }}
      maxUnavailable: {{ $svc.strategy.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "voiceplat-lib.labels.selector" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "voiceplat-lib.labels.standard" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "voiceplat-lib.workload.configData" . | sha256sum }}
        {{- if include "voiceplat-lib.secrets.mounted" . }}
        checksum/secret-keys: {{ include "voiceplat-lib.secrets.synced" . | sha256sum }}
        {{- end }}
        {{- with $svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "voiceplat-lib.pod.spec" . | nindent 6 }}
---
apiVersion: v1
kind: Service
metadata:
  {{- include "voiceplat-lib.labels.metadata" . | nindent 2 }}
  {{- with $svc.service.annotations }}
  annotations: {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $svc.service.type }}
  selector:
    {{- include "voiceplat-lib.labels.selector" . | nindent 4 }}
  ports:
    {{- range $portName, $port := $svc.ports }}
    - name: {{ $portName }}
      port: {{ if eq $portName "http" }}80{{ else }}{{ $port }}{{ end }}
      targetPort: {{ $portName }}
      protocol: TCP
      {{- if and (eq $portName "http") (eq $svc.service.type "NodePort") $svc.service.nodePort }}
      nodePort: {{ $svc.service.nodePort }}
      {{- end }}
    {{- end }}
{{- include "voiceplat-lib.storage.claim" . }}
{{- include "voiceplat-lib.secrets.providerClass" . }}
{{- end -}}
