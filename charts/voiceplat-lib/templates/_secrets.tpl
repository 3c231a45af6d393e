{{/*
Secret wiring. A service lists `secretEnv` (ENV_VAR: key); the values live in the Secret
`<service>-secrets`. Where that Secret comes from is `global.secrets.provider`:
  kubernetes - created beforehand (by the delivery stack or an operator);
  aws        - synced from AWS Secrets Manager (secret `<prefix>/<environment>/<service>`, one JSON key per entry);
  azure      - synced from Azure Key Vault (secret `<service>-<key>`), with workload identity.
aws and azure go through the Secrets Store CSI driver, which syncs only while a pod mounts the volume.
`secretKeyRefs` (ENV_VAR: {name, key}) read Secrets the delivery stack creates beside the chart from values it
generates (LiveKit's key pair): those never come from the store, on every provider.
The Ingresses' TLS Secret (`global.ingress.tls.secretName`) is synced from the store's certificate
(`global.ingress.tls.certificate`) by one provider class of the chart, named after that Secret, which the pods of
every service behind an Ingress mount: their pods are what makes the driver sync, and the Secret is in their
namespace, where nginx and AGIC read it. One class per synced Secret: the driver creates it from the class of
whichever pod mounts first and rotation rewrites it from each class that names it, so two classes writing one
Secret take turns (two charts of one namespace with Ingresses would both render the class: Helm refuses the second).
*/}}

{{/* True ("true") when the service's pods sync the Ingresses' TLS Secret from the cloud store.
Usage: {{ if include "voiceplat-lib.secrets.tls" $scope }} */}}
{{- define "voiceplat-lib.secrets.tls" -}}
{{- $tls := .ctx.Values.global.ingress.tls -}}
{{- $store := has .ctx.Values.global.secrets.provider (list "aws" "azure") -}}
{{- if and (not .batch) .svc.ingress.enabled $tls.enabled $tls.secretName $tls.certificate $store -}}true{{- end -}}
{{- end -}}

{{/* True ("true") when the service's own secrets come through the Secrets Store CSI driver.
Usage: {{ if include "voiceplat-lib.secrets.csi" $scope }} */}}
{{- define "voiceplat-lib.secrets.csi" -}}
{{- if and .svc.secretEnv (has .ctx.Values.global.secrets.provider (list "aws" "azure")) -}}true{{- end -}}
{{- end -}}

{{/* True ("true") when the service's pods mount a provider class: their own secrets' or the TLS Secret's.
Usage: {{ if include "voiceplat-lib.secrets.mounted" $scope }} */}}
{{- define "voiceplat-lib.secrets.mounted" -}}
{{- if or (include "voiceplat-lib.secrets.csi" .) (include "voiceplat-lib.secrets.tls" .) -}}true{{- end -}}
{{- end -}}

{{/* What the service's pods sync, for the checksum that rolls them when it changes.
Usage: {{ include "voiceplat-lib.secrets.synced" $scope | sha256sum }} */}}
{{- define "voiceplat-lib.secrets.synced" -}}
{{- values .svc.secretEnv | uniq | sortAlpha | join "," -}}
{{- if include "voiceplat-lib.secrets.tls" . }},tls:{{ .ctx.Values.global.ingress.tls.certificate }}{{ end -}}
{{- end -}}

{{/* The container's `env` entries read from the service's Secret.
Usage: {{- include "voiceplat-lib.secrets.env" $scope }} */}}
{{- define "voiceplat-lib.secrets.env" -}}
{{- $owner := .owner | default .name -}}
{{- $optional := .ctx.Values.global.secrets.optional -}}
{{- $refs := .svc.secretKeyRefs | default dict -}}
{{- range $envName, $_ := $refs }}
{{- if hasKey $.svc.secretEnv $envName }}
{{- fail (printf "services.%s: %s is in both secretEnv and secretKeyRefs: keep it in one" $.name $envName) }}
{{- end }}
{{- end }}
{{- if or .svc.secretEnv $refs }}
env:
  {{- range $envName, $key := .svc.secretEnv }}
  - name: {{ $envName }}
    valueFrom:
      secretKeyRef:
        name: {{ $owner }}-secrets
        key: {{ $key }}
        optional: {{ $optional }}
  {{- end }}
  {{- range $envName, $ref := $refs }}
  - name: {{ $envName }}
    valueFrom:
      secretKeyRef:
        name: {{ $ref.name }}
        key: {{ $ref.key }}
        optional: {{ $optional }}
  {{- end }}
{{- end }}
{{- end -}}

{{/* The CSI volume mounts: the service's secrets', the TLS Secret's (nothing unless the provider is aws or azure).
Usage: {{- include "voiceplat-lib.secrets.volumeMount" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.secrets.volumeMount" -}}
{{- $volumes := list -}}
{{- if include "voiceplat-lib.secrets.csi" . }}{{ $volumes = append $volumes "secrets-store" }}{{ end -}}
{{- if include "voiceplat-lib.secrets.tls" . }}{{ $volumes = append $volumes "tls-store" }}{{ end -}}
{{- range $i, $volume := $volumes }}
{{- if $i }}{{ "\n" }}{{ end -}}
- name: {{ $volume }}
  mountPath: /mnt/{{ $volume }}
  readOnly: true
{{- end -}}
{{- end -}}

{{/* The CSI volumes of the service's provider class and of the chart's TLS class (nothing unless aws or azure).
Usage: {{- include "voiceplat-lib.secrets.volume" $scope }} */}}
{{- define "voiceplat-lib.secrets.volume" -}}
{{- if include "voiceplat-lib.secrets.csi" . }}
{{- include "voiceplat-lib.secrets.csiVolume" (dict "volume" "secrets-store" "class" (printf "%s-secrets" (.owner | default .name))) }}
{{- end }}
{{- if include "voiceplat-lib.secrets.tls" . }}
{{- include "voiceplat-lib.secrets.csiVolume" (dict "volume" "tls-store" "class" .ctx.Values.global.ingress.tls.secretName) }}
{{- end }}
{{- end -}}

{{/* One pod volume of a provider class. Usage: {{- include "voiceplat-lib.secrets.csiVolume" (dict "volume" "tls-store" "class" "voiceplat-tls") }} */}}
{{- define "voiceplat-lib.secrets.csiVolume" }}
- name: {{ .volume }}
  csi:
    driver: secrets-store.csi.k8s.io
    readOnly: true
    volumeAttributes:
      secretProviderClass: {{ .class }}
{{- end -}}

{{/* The provider and its parameters: the service's `.keys` of its store secret (`.name`), and the TLS
certificate when `.tls`. Usage: {{- include "voiceplat-lib.secrets.provider" (dict "ctx" $ "name" "rest-api" "keys" $keys "tls" "") | nindent 2 }} */}}
{{- define "voiceplat-lib.secrets.provider" -}}
{{- $secrets := .ctx.Values.global.secrets -}}
{{- $tls := .ctx.Values.global.ingress.tls -}}
{{- $name := .name -}}
provider: {{ $secrets.provider }}
parameters:
{{- if eq $secrets.provider "aws" }}
  region: {{ required "global.secrets.aws.region is empty: set the AWS region of the Secrets Manager secrets (the region overlay does)" $secrets.aws.region | quote }}
  objects: |
    {{- if .keys }}
    - objectName: {{ printf "%s/%s/%s" $secrets.aws.secretPrefix .ctx.Values.global.environment $name | quote }}
      objectType: secretsmanager
      jmesPath:
      {{- range $key := .keys }}
        - path: {{ printf "%q" $key | squote }}
          objectAlias: {{ $key }}
      {{- end }}
    {{- end }}
    {{- if .tls }}
    - objectName: {{ printf "%s/%s/%s" $secrets.aws.secretPrefix .ctx.Values.global.environment $tls.certificate | quote }}
      objectType: secretsmanager
      objectAlias: {{ $tls.secretName }}
    {{- end }}
{{- else }}
  usePodIdentity: "false"
  clientID: {{ required "global.secrets.azure.clientId is empty: set the workload identity client id (the delivery stack passes it)" $secrets.azure.clientId | quote }}
  keyvaultName: {{ required "global.secrets.azure.keyvaultName is empty: set the Key Vault name (the delivery stack passes it)" $secrets.azure.keyvaultName | quote }}
  tenantId: {{ required "global.secrets.azure.tenantId is empty: set the Azure tenant id (the delivery stack passes it)" $secrets.azure.tenantId | quote }}
  objects: |
    array:
    {{- range $key := .keys }}
      - |
        objectName: {{ $name }}-{{ $key }}
        objectType: secret
        objectAlias: {{ $key }}
    {{- end }}
    {{- if .tls }}
      - |
        objectName: {{ $tls.certificate }}
        objectType: secret
        objectAlias: {{ $tls.secretName }}
    {{- end }}
{{- end }}
{{- end -}}

{{/* The SecretProviderClass of a service whose own secrets come from AWS or Azure.
Usage: {{- include "voiceplat-lib.secrets.providerClass" $scope }} */}}
{{- define "voiceplat-lib.secrets.providerClass" -}}
{{- if include "voiceplat-lib.secrets.csi" . -}}
{{- $name := include "voiceplat-lib.names.service" . -}}
{{- $keys := values .svc.secretEnv | uniq | sortAlpha }}
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  {{- include "voiceplat-lib.labels.metadata" (merge (dict "suffix" "secrets") .) | nindent 2 }}
spec:
  {{- include "voiceplat-lib.secrets.provider" (dict "ctx" .ctx "name" $name "keys" $keys "tls" "") | nindent 2 }}
  secretObjects:
    - secretName: {{ $name }}-secrets
      type: Opaque
      data:
      {{- range $key := $keys }}
        - objectName: {{ $key }}
          key: {{ $key }}
      {{- end }}
{{- end -}}
{{- end -}}

{{/* The chart's one SecretProviderClass of the Ingresses' TLS Secret, named after it, when a service behind an
Ingress syncs it (`voiceplat-lib.secrets.tls`). Usage: {{- include "voiceplat-lib.secrets.tlsProviderClass" (dict "ctx" $ "services" $services) }} */}}
{{- define "voiceplat-lib.secrets.tlsProviderClass" -}}
{{- $synced := list -}}
{{- range $name, $svc := .services -}}
{{- if include "voiceplat-lib.secrets.tls" (dict "ctx" $.ctx "name" $name "svc" $svc) -}}
{{- $synced = append $synced $name -}}
{{- end -}}
{{- end -}}
{{- if $synced -}}
{{- $tls := .ctx.Values.global.ingress.tls }}
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  name: {{ $tls.secretName }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    app.kubernetes.io/instance: {{ .ctx.Release.Name }}
    {{- include "voiceplat-lib.labels.chart" .ctx | nindent 4 }}
spec:
  {{- include "voiceplat-lib.secrets.provider" (dict "ctx" .ctx "name" $tls.secretName "keys" list "tls" "true") | nindent 2 }}
  secretObjects:
    {{- /* The certificate object is PEM (key and chain): the driver splits it into tls.key and tls.crt. */}}
    - secretName: {{ $tls.secretName }}
      type: kubernetes.io/tls
      data:
        - objectName: {{ $tls.secretName }}
          key: tls.key
        - objectName: {{ $tls.secretName }}
          key: tls.crt
{{- end -}}
{{- end -}}
