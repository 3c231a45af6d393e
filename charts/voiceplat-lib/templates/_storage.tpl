{{/*
Storage. A data volume asks for a storage class by role: `fast` (per-pod block storage: gp3, Azure
Disk) or `shared` (one ReadWriteMany claim for all pods: EFS, Azure Files). The cloud overlays map
roles to classes; with no class (kind) the volume is an emptyDir.
*/}}

{{/* The storage class behind a role, or "" when the cluster has none for it.
Usage: {{ include "voiceplat-lib.storage.class" (dict "ctx" $ "role" "fast") }} */}}
{{- define "voiceplat-lib.storage.class" -}}
{{- get .ctx.Values.global.storage.classes .role | default "" -}}
{{- end -}}

{{/* The pod volume named `data` of a service; .name is the owning service.
Usage: {{- include "voiceplat-lib.storage.volume" (dict "ctx" $ "name" "media" "volume" $svc.dataVolume) }} */}}
{{- define "voiceplat-lib.storage.volume" -}}
{{- $class := include "voiceplat-lib.storage.class" (dict "ctx" .ctx "role" .volume.storageRole) }}
- name: data
{{- if not $class }}
  emptyDir:
    sizeLimit: {{ .volume.size }}
{{- else if eq .volume.storageRole "shared" }}
  persistentVolumeClaim:
    claimName: {{ .name }}-data
{{- else }}
  ephemeral:
    volumeClaimTemplate:
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: {{ $class }}
        resources:
          requests:
            storage: {{ .volume.size }}
{{- end }}
{{- end -}}

{{/* The ReadWriteMany claim of a service whose data volume is `shared` (nothing otherwise).
Usage: {{- include "voiceplat-lib.storage.claim" $scope }} */}}
{{- define "voiceplat-lib.storage.claim" -}}
{{- $volume := .svc.dataVolume -}}
{{- if and $volume.enabled (eq $volume.storageRole "shared") -}}
{{- $class := include "voiceplat-lib.storage.class" (dict "ctx" .ctx "role" "shared") -}}
{{- if $class }}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  {{- include "voiceplat-lib.labels.metadata" (merge (dict "suffix" "data") .) | nindent 2 }}
  annotations:
    helm.sh/resource-policy: keep
spec:
  accessModes: [ReadWriteMany]
  storageClassName: {{ $class }}
  resources:
    requests:
      storage: {{ $volume.size }}
{{- end }}
{{- end }}
{{- end -}}
