{{/*
Entry point of a service chart: every object of every enabled service.
*/}}

{{/* Fails with a message naming the key when a service's settings contradict each other.
Usage: {{- include "voiceplat-lib.app.validate" $scope -}} */}}
{{- define "voiceplat-lib.app.validate" -}}
{{- $svc := .svc -}}
{{- if not (hasKey $svc.ports "http") -}}
{{- fail (printf "services.%s.ports has no `http` port: every service serves HTTP (Service port 80 -> port `http`)" .name) -}}
{{- end -}}
{{- range $what, $port := dict "metrics.port" $svc.metrics.port "probes.port" $svc.probes.port -}}
{{- if not (hasKey $svc.ports $port) -}}
{{- fail (printf "services.%s.%s is %q, which is not one of its ports (%s): name a port from services.%s.ports" $.name $what $port (keys $svc.ports | sortAlpha | join ", ") $.name) -}}
{{- end -}}
{{- end -}}
{{- if and (eq $svc.service.type "NodePort") (not $svc.service.nodePort) -}}
{{- fail (printf "services.%s.service.type is NodePort without service.nodePort: set a fixed port (30000-32767) so clients outside know where to go" .name) -}}
{{- end -}}
{{- include "voiceplat-lib.storage.validateEphemeral" . -}}
{{- $drain := add (ternary $svc.preStop.sleepSeconds 0 $svc.preStop.enabled) $svc.longestRequestSeconds -}}
{{- if lt (int $svc.terminationGracePeriodSeconds) (int $drain) -}}
{{- fail (printf "services.%s.terminationGracePeriodSeconds (%d) is below preStop.sleepSeconds + longestRequestSeconds (%d): the kubelet would kill requests still being served in every rollout; raise it" .name (int $svc.terminationGracePeriodSeconds) (int $drain)) -}}
{{- end -}}
{{- if has .name $svc.dependencies -}}
{{- fail (printf "services.%s.dependencies lists the service itself: remove %q" .name .name) -}}
{{- end -}}
{{- end -}}

{{/* All objects of all enabled services of the chart (workload, autoscaling, network, monitoring).
Usage: {{- include "voiceplat-lib.app.all" $ }} */}}
{{- define "voiceplat-lib.app.all" -}}
{{- $services := dict -}}
{{- include "voiceplat-lib.values.services" (dict "ctx" . "out" $services) -}}
{{- range $name, $svc := $services -}}
{{- $scope := dict "ctx" $ "name" $name "svc" $svc -}}
{{- include "voiceplat-lib.app.validate" $scope -}}
{{- include "voiceplat-lib.workload.all" $scope -}}
{{- include "voiceplat-lib.autoscaling.all" $scope -}}
{{- include "voiceplat-lib.network.policy" $scope -}}
{{- include "voiceplat-lib.network.ingress" $scope -}}
{{- include "voiceplat-lib.monitoring.serviceMonitor" $scope -}}
{{- include "voiceplat-lib.monitoring.prometheusRule" $scope -}}
{{- include "voiceplat-lib.dashboard.configmap" $scope -}}
{{- end -}}
{{- include "voiceplat-lib.secrets.tlsProviderClass" (dict "ctx" $ "services" $services) -}}
{{- end -}}
