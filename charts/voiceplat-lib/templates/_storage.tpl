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


{{/* A quantity in Ki, Mi, Gi or Ti as whole mebibytes (fails on another form), for comparing sizes.
Usage: {{ include "voiceplat-lib.storage.mebibytes" (dict "quantity" "1Gi" "key" "services.x.tmpSizeLimit") }} */}}
{{- define "voiceplat-lib.storage.mebibytes" -}}
{{- $q := toString .quantity -}}
{{- if not (regexMatch "^[0-9]+(Ki|Mi|Gi|Ti)$" $q) -}}
{{- fail (printf "%s is %q: write it in Ki, Mi, Gi or Ti (e.g. 256Mi)" .key $q) -}}
{{- end -}}
{{- $n := regexFind "^[0-9]+" $q | atoi -}}
{{- $factor := get (dict "Ki" 0 "Mi" 1 "Gi" 1024 "Ti" 1048576) (regexFind "[KMGT]i$" $q) -}}
{{- if eq $factor 0 }}{{ div $n 1024 }}{{ else }}{{ mul $n $factor }}{{ end -}}
{{- end -}}

{{/* Mebibytes of a service's data volume when it is an emptyDir (no storage class for its role: kind), else 0:
it counts against the pod's ephemeral-storage, so the library adds it to the limit.
Usage: {{ include "voiceplat-lib.storage.emptyDirDataMi" $scope | atoi }} */}}
{{- define "voiceplat-lib.storage.emptyDirDataMi" -}}
{{- $volume := .svc.dataVolume -}}
{{- if and $volume.enabled (not (include "voiceplat-lib.storage.class" (dict "ctx" .ctx "role" $volume.storageRole))) -}}
{{- include "voiceplat-lib.storage.mebibytes" (dict "quantity" $volume.size "key" (printf "services.%s.dataVolume.size" (.owner | default .name))) -}}
{{- else -}}0{{- end -}}
{{- end -}}

{{/* Fails unless the service's container declares ephemeral-storage requests and limits, and the limit holds its
writable /tmp: past its limit the kubelet evicts the pod, so a limit below tmpSizeLimit would evict a pod that
stays within its own volume. (An emptyDir data volume is added to the limit by voiceplat-lib.pod.resources.)
Usage: {{- include "voiceplat-lib.storage.validateEphemeral" $scope -}} */}}
{{- define "voiceplat-lib.storage.validateEphemeral" -}}
{{- $svc := .svc -}}
{{- $requests := $svc.resources.requests | default dict -}}
{{- $limits := $svc.resources.limits | default dict -}}
{{- if not (and (hasKey $requests "ephemeral-storage") (hasKey $limits "ephemeral-storage")) -}}
{{- fail (printf "services.%s.resources lacks ephemeral-storage in requests or limits: size both to what the container writes (/tmp, logs)" .name) -}}
{{- end -}}
{{- $limit := include "voiceplat-lib.storage.mebibytes" (dict "quantity" (get $limits "ephemeral-storage") "key" (printf "services.%s.resources.limits.ephemeral-storage" .name)) | atoi -}}
{{- $tmp := include "voiceplat-lib.storage.mebibytes" (dict "quantity" $svc.tmpSizeLimit "key" (printf "services.%s.tmpSizeLimit" .name)) | atoi -}}
{{- if gt $tmp $limit -}}
{{- fail (printf "services.%s.resources.limits.ephemeral-storage (%dMi) is below its tmpSizeLimit (%dMi): raise the limit" .name $limit $tmp) -}}
{{- end -}}
{{- end -}}
