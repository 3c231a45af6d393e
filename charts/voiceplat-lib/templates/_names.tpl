{{/*
Names. A service's key under `services` is its resource name and DNS name, so dependency URLs
(`http://tts.<namespace>.svc.<domain>`) stay stable whatever the release is called.
*/}}

{{/* Resource name of a service (its key, at most 63 characters).
Usage: {{ include "voiceplat-lib.names.service" $scope }} */}}
{{- define "voiceplat-lib.names.service" -}}
{{- .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Resource name of a chart-wide object: the release name and a suffix.
Usage: {{ include "voiceplat-lib.names.release" (dict "ctx" $ "suffix" "adapter-rules") }} */}}
{{- define "voiceplat-lib.names.release" -}}
{{- printf "%s-%s" .ctx.Release.Name .suffix | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* `chart-version` for the helm.sh/chart label.
Usage: {{ include "voiceplat-lib.names.chart" $ }} */}}
{{- define "voiceplat-lib.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* In-cluster URL of a service of the platform (every Service serves HTTP on port 80).
Usage: {{ include "voiceplat-lib.names.url" (dict "ctx" $ "name" "tts") }} */}}
{{- define "voiceplat-lib.names.url" -}}
{{- printf "http://%s.%s.svc.%s:80" .name .ctx.Release.Namespace .ctx.Values.global.clusterDomain -}}
{{- end -}}

{{/* CamelCase form of a service name, for alert names (`rest-api` -> `RestApi`).
Usage: {{ include "voiceplat-lib.names.camel" "rest-api" }} */}}
{{- define "voiceplat-lib.names.camel" -}}
{{- . | replace "-" "_" | camelcase -}}
{{- end -}}

{{/* Environment-variable form of a service name (`deepgram-api` -> `DEEPGRAM_API`).
Usage: {{ include "voiceplat-lib.names.env" "deepgram-api" }} */}}
{{- define "voiceplat-lib.names.env" -}}
{{- . | replace "-" "_" | upper -}}
{{- end -}}
