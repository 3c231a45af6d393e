{{/*
Images. Every service names its own repository; the tag defaults to the chart's appVersion. `latest`
is refused, so a rollout is always a change of a pinned reference.
*/}}

{{/* Tag of a service's image (its `image.tag`, else the chart's appVersion).
Usage: {{ include "voiceplat-lib.image.tag" $scope }} */}}
{{- define "voiceplat-lib.image.tag" -}}
{{- $tag := toString (.svc.image.tag | default .ctx.Chart.AppVersion) -}}
{{- if eq $tag "latest" -}}
{{- fail (printf "services.%s.image.tag is \"latest\": pin a version (or a digest) so rollouts are reproducible" .name) -}}
{{- end -}}
{{- $tag -}}
{{- end -}}

{{/* Full image reference: [registry/]repository:tag, or @digest when a digest is set.
Usage: image: {{ include "voiceplat-lib.image.ref" $scope | quote }} */}}
{{- define "voiceplat-lib.image.ref" -}}
{{- $image := .svc.image -}}
{{- $repository := required (printf "services.%s.image.repository is empty: set the image repository of %s (or of `defaults`) in the values" .name .name) $image.repository -}}
{{- with .ctx.Values.global.image.registry -}}
{{- $repository = printf "%s/%s" . $repository -}}
{{- end -}}
{{- if $image.digest -}}
{{- printf "%s@%s" $repository $image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (include "voiceplat-lib.image.tag" .) -}}
{{- end -}}
{{- end -}}
