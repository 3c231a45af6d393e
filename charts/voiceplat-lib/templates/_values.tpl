{{/*
Values resolution. Sprig's merge/mergeOverwrite skip `false` and empty values, which would make
`hpa.enabled: false` on one service impossible; this merge replaces anything that is not a map.
*/}}

{{/* Deep-merges .src into the map .dst in place (maps key by key; lists, scalars, false and null replace).
Usage: {{- include "voiceplat-lib.values.mergeInto" (dict "dst" $copy "src" $override) -}} */}}
{{- define "voiceplat-lib.values.mergeInto" -}}
{{- $dst := .dst -}}
{{- range $key, $value := .src -}}
{{- $current := get $dst $key -}}
{{- if and (kindIs "map" $value) (kindIs "map" $current) -}}
{{- include "voiceplat-lib.values.mergeInto" (dict "dst" $current "src" $value) -}}
{{- else -}}
{{- $_ := set $dst $key (deepCopy $value) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Fills .out with every enabled service of the chart: name -> `defaults` deep-merged with `services.<name>`.
Usage: {{- $services := dict -}}{{- include "voiceplat-lib.values.services" (dict "ctx" $ "out" $services) -}} */}}
{{- define "voiceplat-lib.values.services" -}}
{{- $defaults := .ctx.Values.defaults | default dict -}}
{{- range $name, $override := .ctx.Values.services -}}
{{- $svc := deepCopy $defaults -}}
{{- include "voiceplat-lib.values.mergeInto" (dict "dst" $svc "src" ($override | default dict)) -}}
{{- if $svc.enabled -}}
{{- $_ := set $.out $name $svc -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Service scope of one enabled service, for templates that need another service's settings.
Usage: {{- $scope := include "voiceplat-lib.values.scope" ... }} is not possible (include returns text); use
       {{- $scope := dict -}}{{- include "voiceplat-lib.values.scopeInto" (dict "ctx" $ "name" "voice" "out" $scope) -}} */}}
{{- define "voiceplat-lib.values.scopeInto" -}}
{{- $services := dict -}}
{{- include "voiceplat-lib.values.services" (dict "ctx" .ctx "out" $services) -}}
{{- $svc := required (printf "batch or test entry refers to service %q, which is not an enabled service of this chart: enable it or fix the name" .name) (get $services .name) -}}
{{- $_ := set .out "ctx" .ctx -}}
{{- $_ := set .out "name" .name -}}
{{- $_ := set .out "svc" $svc -}}
{{- end -}}
