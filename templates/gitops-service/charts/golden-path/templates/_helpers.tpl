{{/*
The service's name: the release name (the template sets it to the service), unless overridden.
*/}}
{{- define "golden-path.name" -}}
{{- default .Release.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "golden-path.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Selector labels: stable for the life of the Deployment.
*/}}
{{- define "golden-path.selectorLabels" -}}
app.kubernetes.io/name: {{ include "golden-path.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/*
Common labels. backstage.io/kubernetes-id lets the Backstage Kubernetes plugin find the objects.
*/}}
{{- define "golden-path.labels" -}}
{{ include "golden-path.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
app.kubernetes.io/component: server
{{- with .Values.partOf }}
app.kubernetes.io/part-of: {{ . }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ include "golden-path.chart" . }}
backstage.io/kubernetes-id: {{ include "golden-path.name" . }}
{{- end -}}

{{- define "golden-path.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- include "golden-path.name" . -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}
