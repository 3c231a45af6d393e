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
(`global.ingress.tls.certificate`) by the provider class of each service behind an Ingress: its pods are what
makes the driver sync, and the Secret is in their namespace, where nginx and AGIC read it.
*/}}

{{/* True ("true") when the service's pods sync the Ingresses' TLS Secret from the cloud store.
Usage: {{ if include "voiceplat-lib.secrets.tls" $scope }} */}}
{{- define "voiceplat-lib.secrets.tls" -}}
{{- $tls := .ctx.Values.global.ingress.tls -}}
{{- $store := has .ctx.Values.global.secrets.provider (list "aws" "azure") -}}
{{- if and (not .batch) .svc.ingress.enabled $tls.enabled $tls.secretName $tls.certificate $store -}}true{{- end -}}
{{- end -}}

{{/* True ("true") when the service's secrets (or its Ingress's certificate) come through the Secrets Store CSI
driver. Usage: {{ if include "voiceplat-lib.secrets.csi" $scope }} */}}
{{- define "voiceplat-lib.secrets.csi" -}}
{{- if and .svc.secretEnv (has .ctx.Values.global.secrets.provider (list "aws" "azure")) -}}true
{{- else if include "voiceplat-lib.secrets.tls" . -}}true{{- end -}}
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

{{/* The CSI volume mount (nothing unless the provider is aws or azure).
Usage: {{- include "voiceplat-lib.secrets.volumeMount" $scope | nindent 2 }} */}}
{{- define "voiceplat-lib.secrets.volumeMount" -}}
{{- if include "voiceplat-lib.secrets.csi" . -}}
- name: secrets-store
  mountPath: /mnt/secrets-store
  readOnly: true
{{- end -}}
{{- end -}}

{{/* The CSI volume (nothing unless the provider is aws or azure).
Usage: {{- include "voiceplat-lib.secrets.volume" $scope }} */}}
{{- define "voiceplat-lib.secrets.volume" -}}
{{- if include "voiceplat-lib.secrets.csi" . }}
- name: secrets-store
  csi:
    driver: secrets-store.csi.k8s.io
    readOnly: true
    volumeAttributes:
      secretProviderClass: {{ .owner | default .name }}-secrets
{{- end }}
{{- end -}}

{{/* The SecretProviderClass of a service whose secrets come from AWS or Azure.
Usage: {{- include "voiceplat-lib.secrets.providerClass" $scope }} */}}
{{- define "voiceplat-lib.secrets.providerClass" -}}
{{- if include "voiceplat-lib.secrets.csi" . -}}
{{- $secrets := .ctx.Values.global.secrets -}}
{{- $name := include "voiceplat-lib.names.service" . -}}
{{- $keys := values .svc.secretEnv | uniq | sortAlpha -}}
{{- $tls := .ctx.Values.global.ingress.tls -}}
{{- $withTls := include "voiceplat-lib.secrets.tls" . }}
---
apiVersion: secrets-store.csi.x-k8s.io/v1
kind: SecretProviderClass
metadata:
  {{- include "voiceplat-lib.labels.metadata" (merge (dict "suffix" "secrets") .) | nindent 2 }}
spec:
  provider: {{ $secrets.provider }}
  parameters:
  {{- if eq $secrets.provider "aws" }}
    region: {{ required "global.secrets.aws.region is empty: set the AWS region of the Secrets Manager secrets (the region overlay does)" $secrets.aws.region | quote }}
    objects: |
      {{- if $keys }}
      - objectName: {{ printf "%s/%s/%s" $secrets.aws.secretPrefix .ctx.Values.global.environment $name | quote }}
        objectType: secretsmanager
        jmesPath:
        {{- range $key := $keys }}
          - path: {{ printf "%q" $key | squote }}
            objectAlias: {{ $key }}
        {{- end }}
      {{- end }}
      {{- if $withTls }}
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
      {{- range $key := $keys }}
        - |
          objectName: {{ $name }}-{{ $key }}
          objectType: secret
          objectAlias: {{ $key }}
      {{- end }}
      {{- if $withTls }}
        - |
          objectName: {{ $tls.certificate }}
          objectType: secret
          objectAlias: {{ $tls.secretName }}
      {{- end }}
  {{- end }}
  secretObjects:
    {{- if $keys }}
    - secretName: {{ $name }}-secrets
      type: Opaque
      data:
      {{- range $key := $keys }}
        - objectName: {{ $key }}
          key: {{ $key }}
      {{- end }}
    {{- end }}
    {{- if $withTls }}
    {{- /* The certificate object is PEM (key and chain): the driver splits it into tls.key and tls.crt. */}}
    - secretName: {{ $tls.secretName }}
      type: kubernetes.io/tls
      data:
        - objectName: {{ $tls.secretName }}
          key: tls.key
        - objectName: {{ $tls.secretName }}
          key: tls.crt
    {{- end }}
{{- end -}}
{{- end -}}
