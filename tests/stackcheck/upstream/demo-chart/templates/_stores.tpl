{{- /* Read through variables, as temporal's persistence helpers do: values.yaml shows neither key. */ -}}
{{- define "demo.store.secretKey" -}}
{{- $global := index . 0 -}}
{{- $store := index . 1 -}}
{{- $storeConfig := index $global.Values.stores $store -}}
{{- $driverConfig := $storeConfig.sql -}}
{{- $scratch := index $global.Values.stores $store -}}
{{- $scratch = $scratch.sql -}}
{{- $driverConfig.secretKey | default "password" -}}
{{- with $driverConfig.tls }} tls={{ .enabled }}{{ end -}}
{{- if $global.Values.bundledDb.enabled }} bundled{{ end -}}
{{- end -}}
