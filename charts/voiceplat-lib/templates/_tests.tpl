{{/*
`helm test`: one Pod per chart that asks every enabled service's readiness endpoint through its
Service, so it proves DNS, the Service and the pods together.
*/}}

{{/* The chart's test Pod (a helm.sh/hook: test).
Usage: {{- include "voiceplat-lib.tests.pod" $ }} */}}
{{- define "voiceplat-lib.tests.pod" -}}
{{- $services := dict -}}
{{- include "voiceplat-lib.values.services" (dict "ctx" . "out" $services) -}}
{{- $tests := .Values.global.tests -}}
{{- $urls := list -}}
{{- range $name, $svc := $services -}}
{{- $urls = append $urls (printf "%s%s" (include "voiceplat-lib.names.url" (dict "ctx" $ "name" $name)) $svc.probes.readiness.path) -}}
{{- end -}}
{{- if and $tests.enabled $urls }}
{{- if .Values.global.networkPolicy.enabled }}
---
# The test Pod may only resolve names and reach the release's namespace; nothing may reach it.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "voiceplat-lib.names.release" (dict "ctx" . "suffix" "test-connection") }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "voiceplat-lib.labels.chart" . | nindent 4 }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-weight: "-1"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ .Chart.Name }}-test
      app.kubernetes.io/instance: {{ .Release.Name }}
  policyTypes: [Ingress, Egress]
  ingress: []
  egress:
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    - to:
        - podSelector: {}
{{- end }}
---
apiVersion: v1
kind: Pod
metadata:
  name: {{ include "voiceplat-lib.names.release" (dict "ctx" . "suffix" "test-connection") }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "voiceplat-lib.labels.chart" . | nindent 4 }}
    app.kubernetes.io/name: {{ .Chart.Name }}-test
    app.kubernetes.io/instance: {{ .Release.Name }}
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
    {{- $index := 0 }}
    {{- range $check, $reason := $tests.checkovSkips }}
    {{- $index = add1 $index }}
    checkov.io/skip{{ $index }}: {{ printf "%s=%s" $check $reason | quote }}
    {{- end }}
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  enableServiceLinks: false
  securityContext:
    {{- include "voiceplat-lib.security.pod" (dict "svc" $tests) | nindent 4 }}
  containers:
    - name: test-connection
      {{- /* from the environment's registry like every other image (the stacks mirror it there) */}}
      image: {{ printf "%s:%s" (ternary (printf "%s/%s" .Values.global.image.registry $tests.image.repository) $tests.image.repository (ne .Values.global.image.registry "")) $tests.image.tag | quote }}
      imagePullPolicy: {{ $tests.image.pullPolicy }}
      command: [sh, -c]
      args:
        - |
          for url in {{ join " " $urls }}; do
            wget -q -T {{ $tests.timeoutSeconds }} -O /dev/null "$url" || { echo "no answer from $url"; exit 1; }
            echo "ok $url"
          done
      resources: {{- toYaml $tests.resources | nindent 8 }}
      securityContext:
        {{- include "voiceplat-lib.security.container" (dict "svc" $tests) | nindent 8 }}
{{- end }}
{{- end -}}
