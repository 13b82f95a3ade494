{{/* The chart's name, or nameOverride. It is also the job label the rules and dashboards expect. */}}
{{- define "wwe.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name alone when it already contains the chart name. */}}
{{- define "wwe.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "wwe.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wwe.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wwe.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "wwe.labels" -}}
helm.sh/chart: {{ include "wwe.chart" . }}
{{ include "wwe.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: exporter
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "wwe.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "wwe.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "wwe.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* Whether the pods are a StatefulSet: one pod per shard, each finding its shard from its ordinal. */}}
{{- define "wwe.sharded" -}}
{{- if gt (int .Values.shards) 1 }}true{{ end }}
{{- end }}

{{/* Paths inside the container; the Dockerfile and the systemd unit use the same ones. */}}
{{- define "wwe.configDir" -}}/etc/workspaces-web-exporter{{- end }}
{{- define "wwe.stateDir" -}}/var/lib/workspaces-web-exporter{{- end }}
{{- define "wwe.secretDir" -}}/etc/workspaces-web-exporter/secrets{{- end }}
{{- define "wwe.tlsDir" -}}/etc/workspaces-web-exporter/tls{{- end }}

{{- define "wwe.webConfigEnabled" -}}
{{- if or .Values.web.existingSecret (not (empty .Values.web.config)) }}true{{ end }}
{{- end }}

{{/* Whether the agent serves HTTPS: web.tls when set, otherwise a TLS secret or a tls_server_config. */}}
{{- define "wwe.tls" -}}
{{- if kindIs "bool" .Values.web.tls }}
{{- if .Values.web.tls }}true{{ end }}
{{- else if or .Values.web.tlsSecret (hasKey (.Values.web.config | default dict) "tls_server_config") }}true{{ end }}
{{- end }}

{{/* The chart's Secret holds what the values give inline: the web config and the admin token. */}}
{{- define "wwe.chartSecretData" -}}
{{- if and (not .Values.web.existingSecret) (not (empty .Values.web.config)) }}
web-config.yml: {{ toYaml .Values.web.config | b64enc }}
{{- end }}
{{- if and .Values.admin.enabled (not .Values.admin.existingSecret) }}
{{- if not .Values.admin.token }}
{{- fail "admin.enabled needs admin.token or admin.existingSecret (the bearer token of the admin API)" }}
{{- end }}
admin-token: {{ .Values.admin.token | b64enc }}
{{- end }}
{{- end }}

{{/*
The agent's config.yaml: .Values.config plus the keys the chart owns because they must agree with the pod spec
(port, mounted files, state volume, shards). Setting one of those in .Values.config is an error, not silently lost.
*/}}
{{- define "wwe.config" -}}
{{- $cfg := deepCopy (.Values.config | default dict) }}
{{- $owned := list
      (list "server" "port" "containerPort")
      (list "web" "config_file" "web.config / web.existingSecret")
      (list "admin" "token_file" "admin.token / admin.existingSecret")
      (list "state" "path" "persistence")
      (list "shard" "count" "shards")
      (list "shard" "index" "shards") }}
{{- range $owned }}
{{- $section := index $cfg (index . 0) | default dict }}
{{- if hasKey $section (index . 1) }}
{{- fail (printf "config.%s.%s is set by the chart: use the value %s instead" (index . 0) (index . 1) (index . 2)) }}
{{- end }}
{{- end }}
{{- $server := index $cfg "server" | default dict }}
{{- $_ := set $server "port" (int .Values.containerPort) }}
{{- $_ := set $cfg "server" $server }}
{{- $web := index $cfg "web" | default dict }}
{{- $_ := set $web "config_file" (ternary (printf "%s/web-config.yml" (include "wwe.secretDir" .)) "" (eq (include "wwe.webConfigEnabled" .) "true")) }}
{{- $_ := set $cfg "web" $web }}
{{- $admin := index $cfg "admin" | default dict }}
{{- if hasKey $admin "enabled" }}
{{- fail "config.admin.enabled is set by the chart: use the value admin.enabled instead" }}
{{- end }}
{{- $_ := set $admin "enabled" .Values.admin.enabled }}
{{- $_ := set $admin "token_file" (ternary (printf "%s/admin-token" (include "wwe.secretDir" .)) "" .Values.admin.enabled) }}
{{- $_ := set $cfg "admin" $admin }}
{{- $_ := set $cfg "state" (dict "path" (printf "%s/state.json" (include "wwe.stateDir" .))) }}
{{- if eq (include "wwe.sharded" .) "true" }}
{{- $_ := set $cfg "shard" (dict "count" (int .Values.shards) "index" "auto") }}
{{- else }}
{{- $_ := set $cfg "shard" (dict "count" 1 "index" 0) }}
{{- end }}
{{- toYaml $cfg }}
{{- end }}

{{/* A probe from the values, with scheme HTTPS when the agent serves TLS and the probe does not say. */}}
{{- define "wwe.probe" -}}
{{- $probe := deepCopy .probe }}
{{- if and $probe.httpGet (eq (include "wwe.tls" .root) "true") (not (hasKey $probe.httpGet "scheme")) }}
{{- $_ := set $probe.httpGet "scheme" "HTTPS" }}
{{- end }}
{{- toYaml $probe }}
{{- end }}
