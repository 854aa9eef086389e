{{/*
Helpers shared by the umbrella chart and its four subcharts (Helm template names are global, so the
subcharts include these). Most take a dict: `root` is the calling chart's context (`.`) and
`component` one of gateway | sandbox-manager | sandbox-router | executor.
*/}}

{{/* The four components and the port each listens on (/work/brief/env-contract.md). */}}
{{- define "foxhound.port" -}}
{{- get (dict "gateway" 8000 "sandbox-router" 8080 "sandbox-manager" 8081 "executor" 8888) . -}}
{{- end }}

{{- define "foxhound.role" -}}
{{- get (dict "gateway" "api" "sandbox-router" "sandbox-proxy" "sandbox-manager" "sandbox-lifecycle" "executor" "sandbox-runtime") . -}}
{{- end }}

{{/* Object name of a component: <release>-<component>, cut to the 63 characters a DNS label allows. */}}
{{- define "foxhound.name" -}}
{{- printf "%s-%s" .root.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{/* Where the executor sandboxes (SandboxTemplate, SandboxWarmPool, claims, pods) live. */}}
{{- define "foxhound.sandboxNamespace" -}}
{{- .Values.global.sandboxNamespace | default .Release.Namespace -}}
{{- end }}

{{/* Labels of the executor's sandbox pods: no chart or app version, so a chart bump that leaves the
pod template alone does not change it and the warm pool is not recycled. */}}
{{- define "foxhound.sandboxPodLabels" -}}
{{ include "foxhound.selectorLabels" . }}
app.kubernetes.io/component: {{ include "foxhound.role" .component }}
app.kubernetes.io/part-of: foxhound
{{- end }}

{{/* Selector labels: stable for the life of a release (Deployment selectors are immutable). */}}
{{- define "foxhound.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{- define "foxhound.labels" -}}
{{ include "foxhound.selectorLabels" . }}
app.kubernetes.io/component: {{ include "foxhound.role" .component }}
app.kubernetes.io/part-of: foxhound
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels for objects that belong to the release as a whole (secrets, default-deny policy). */}}
{{- define "foxhound.releaseLabels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: foxhound
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Image reference: [registry/]repository:tag, or @digest when one is pinned. Tag defaults to
global.image.tag (CI sets the git SHA), then to the chart's appVersion. */}}
{{- define "foxhound.image" -}}
{{- $global := .root.Values.global.image -}}
{{- $repository := .image.repository -}}
{{- with $global.registry }}{{ $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}{{ end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repository .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (toString (.image.tag | default $global.tag | default .root.Chart.AppVersion)) -}}
{{- end -}}
{{- end }}

{{- define "foxhound.imagePullSecrets" -}}
{{- with .Values.global.imagePullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Pod and container security: non-root, read-only root filesystem, no privilege escalation, no
capabilities, the runtime's default seccomp profile. The images run as uid 1000 (Dockerfiles). */}}
{{- define "foxhound.podSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .Values.global.securityContext.runAsUser }}
  runAsGroup: {{ .Values.global.securityContext.runAsGroup }}
  fsGroup: {{ .Values.global.securityContext.runAsGroup }}
  seccompProfile:
    type: RuntimeDefault
{{- end }}

{{- define "foxhound.containerSecurityContext" -}}
securityContext:
  runAsNonRoot: true
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: [ALL]
  seccompProfile:
    type: RuntimeDefault
{{- end }}

{{/* The env every service reads (HOST, PORT, LOG_LEVEL, SHUTDOWN_TIMEOUT_SECONDS). */}}
{{- define "foxhound.commonEnv" -}}
- name: HOST
  value: "0.0.0.0"
- name: PORT
  value: {{ include "foxhound.port" .component | quote }}
- name: LOG_LEVEL
  value: {{ .root.Values.logLevel | default .root.Values.global.logLevel | quote }}
- name: SHUTDOWN_TIMEOUT_SECONDS
  value: {{ .root.Values.global.shutdownTimeoutSeconds | quote }}
{{- end }}

{{/* A component's `config` map as env: keys are the contract's variable names; empty or null values
are left out so the service's own default applies. */}}
{{- define "foxhound.configEnv" -}}
{{- range $name, $value := .Values.config }}
{{- if not (or (kindIs "invalid" $value) (eq (toString $value) "")) }}
- name: {{ $name }}
  value: {{ toString $value | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* One env var from a Secret key: dict name, secret, key, optional (bool). */}}
{{- define "foxhound.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key | default .name }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/* Secret names. The internal Secret (release namespace) holds the service tokens and optional
gateway credentials; the executor Secret (sandbox namespace) holds only ANTHROPIC_API_KEY. */}}
{{- define "foxhound.internalSecretName" -}}
{{- if eq .Values.global.secrets.source "existing" -}}
{{- .Values.global.secrets.existing.internal -}}
{{- else -}}
{{- printf "%s-internal" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "foxhound.executorSecretName" -}}
{{- if eq .Values.global.secrets.source "existing" -}}
{{- .Values.global.secrets.existing.executor -}}
{{- else -}}
{{- printf "%s-executor-credentials" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{/* In-cluster URL of a component's Service: dict root, component. */}}
{{- define "foxhound.serviceUrl" -}}
{{- printf "http://%s.%s.svc:%s" (include "foxhound.name" .) .root.Release.Namespace (include "foxhound.port" .component) -}}
{{- end }}

{{/* Probes wired to the service-kit endpoints: /healthz (alive) and /readyz (ready, 503 while draining). */}}
{{- define "foxhound.probes" -}}
startupProbe:
  httpGet: {path: /healthz, port: http}
  periodSeconds: 2
  failureThreshold: 30
livenessProbe:
  httpGet: {path: /healthz, port: http}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /readyz, port: http}
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end }}

{{/* Graceful stop: a short preStop sleep lets endpoints and load balancers drop the pod before
SIGTERM closes the listener; the grace period then covers the service's own drain deadline
(SHUTDOWN_TIMEOUT_SECONDS) with 5 s to spare, so the kubelet never SIGKILLs a draining pod. */}}
{{- define "foxhound.terminationGracePeriodSeconds" -}}
{{- add .Values.global.preStopSleepSeconds .Values.global.shutdownTimeoutSeconds 5 -}}
{{- end }}

{{- define "foxhound.lifecycle" -}}
{{- if gt (int .Values.global.preStopSleepSeconds) 0 }}
lifecycle:
  preStop:
    exec:
      command: ["sleep", {{ .Values.global.preStopSleepSeconds | quote }}]
{{- end }}
{{- end }}

{{/* Scheduling: nodeSelector, tolerations, affinity and (for Deployments) zone and node spreading. */}}
{{- define "foxhound.scheduling" -}}
{{- $values := .root.Values -}}
{{- with $values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if $values.topologySpread.enabled }}
topologySpreadConstraints:
  {{- range list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
  - maxSkew: 1
    topologyKey: {{ . }}
    whenUnsatisfiable: {{ $values.topologySpread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "foxhound.selectorLabels" $ | nindent 8 }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Pod annotations: Prometheus scrape hints plus the user's. */}}
{{- define "foxhound.podAnnotations" -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ include "foxhound.port" .component | quote }}
prometheus.io/path: /metrics
{{- if eq .root.Values.global.secrets.source "chart" }}
{{- /* Restart the pods when a chart-managed secret value changes (env is read at start). */}}
checksum/secret-values: {{ .root.Values.global.secrets.values | toJson | sha256sum }}
{{- end }}
{{- with .root.Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* HorizontalPodAutoscaler (autoscaling/v2) on CPU and memory; fast up, slow down. */}}
{{- define "foxhound.hpa" -}}
{{- $autoscaling := .root.Values.autoscaling -}}
{{- if $autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "foxhound.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "foxhound.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "foxhound.name" . }}
  minReplicas: {{ $autoscaling.minReplicas }}
  maxReplicas: {{ $autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $autoscaling.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ $autoscaling.targetMemoryUtilizationPercentage }}
  behavior:
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
        - type: Percent
          value: 100
          periodSeconds: 30
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
        - type: Percent
          value: 50
          periodSeconds: 60
{{- end }}
{{- end }}

{{- define "foxhound.pdb" -}}
{{- $pdb := .root.Values.podDisruptionBudget -}}
{{- if $pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "foxhound.name" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "foxhound.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "foxhound.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* ServiceAccount; only the manager's and the executor's mount a token. */}}
{{- define "foxhound.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "foxhound.name" . }}
  namespace: {{ .namespace | default .root.Release.Namespace }}
  labels:
    {{- include "foxhound.labels" . | nindent 4 }}
  {{- with .root.Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .automount }}
{{- end }}

{{/* NetworkPolicy peer that selects one component's pods in its namespace. */}}
{{- define "foxhound.peer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .namespace }}
  podSelector:
    matchLabels:
      {{- include "foxhound.selectorLabels" . | nindent 6 }}
{{- end }}

{{/* Egress rules every Foxhound pod needs: DNS. */}}
{{- define "foxhound.dnsEgress" -}}
{{- $dns := .Values.global.networkPolicy.dns -}}
- to:
    - namespaceSelector:
        {{- toYaml $dns.namespaceSelector | nindent 8 }}
      podSelector:
        {{- toYaml $dns.podSelector | nindent 8 }}
  ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
{{- end }}

{{/* Whether Helm is talking to a cluster: `helm template` and `helm lint` answer every lookup with
nothing, while every cluster has the kube-system namespace. */}}
{{- define "foxhound.clusterReachable" -}}
{{- if lookup "v1" "Namespace" "" "kube-system" }}true{{ end -}}
{{- end }}

{{/* The API server's endpoint addresses as CIDRs (JSON list): the value when set, else the addresses of
the `kubernetes` EndpointSlice in `default` read at install. Policies are evaluated after the
Service's DNAT, so the endpoints (not the ClusterIP) are what the rule must name. */}}
{{- define "foxhound.kubeApiCidrs" -}}
{{- $cidrs := .Values.global.networkPolicy.kubeApi.cidrs | default list -}}
{{- if not $cidrs -}}
{{- $slice := lookup "discovery.k8s.io/v1" "EndpointSlice" "default" "kubernetes" | default dict -}}
{{- range ($slice.endpoints | default list) }}
{{- range (.addresses | default list) }}
{{- $cidrs = append $cidrs (printf "%s/%s" . (ternary "128" "32" (contains ":" .))) }}
{{- end }}
{{- end }}
{{- end -}}
{{- if not $cidrs -}}
{{- fail "global.networkPolicy.kubeApi.cidrs is empty and the API server's endpoints could not be read (helm template, helm lint or no access to EndpointSlices in `default`): set it to what k8s/scripts/kube-api-cidrs.sh prints, e.g. --set 'global.networkPolicy.kubeApi.cidrs={172.18.0.2/32}'" -}}
{{- end -}}
{{- toJson $cidrs -}}
{{- end }}

{{/* Egress to the Kubernetes API server (its endpoints are node or control-plane IPs, not pods). */}}
{{- define "foxhound.kubeApiEgress" -}}
{{- $api := .Values.global.networkPolicy.kubeApi -}}
- to:
    {{- range (include "foxhound.kubeApiCidrs" . | fromJsonArray) }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range $api.ports }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- end }}

{{/* Ingress to a component's port from the configured metrics scrapers (e.g. Prometheus). */}}
{{- define "foxhound.metricsIngress" -}}
{{- with .root.Values.global.networkPolicy.metricsScrapers }}
- from:
    {{- toYaml . | nindent 4 }}
  ports:
    - {protocol: TCP, port: {{ include "foxhound.port" $.component }}}
{{- end }}
{{- end }}

{{/* The escape hatches of a component's container and pod (`extraEnv`, `extraEnvFrom`,
`extraVolumeMounts`, `extraVolumes`): each renders nothing when its list is empty. The env goes after
the chart's own, so a duplicate name wins (Kubernetes keeps the last). */}}
{{- define "foxhound.extraEnv" -}}
{{- with .Values.extraEnv }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{- define "foxhound.extraEnvFrom" -}}
{{- with .Values.extraEnvFrom }}
envFrom:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "foxhound.extraVolumeMounts" -}}
{{- with .Values.extraVolumeMounts }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{- define "foxhound.extraVolumes" -}}
{{- with .Values.extraVolumes }}
{{- toYaml . }}
{{- end }}
{{- end }}

{{/* How clients reach the gateway from outside: `https` when an Ingress serves TLS or the NLB
terminates it, else `http`. The smoke test reads the same facts from the live objects. */}}
{{- define "foxhound.publicScheme" -}}
{{- $gateway := .Values.gateway -}}
{{- if $gateway.ingress.enabled -}}
{{- ternary "https" "http" (or (not (empty $gateway.ingress.tls)) (not (empty $gateway.ingress.certManager.issuerRef.name))) -}}
{{- else if and $gateway.service.aws.nlb $gateway.service.aws.certificateArn -}}
https
{{- else -}}
http
{{- end -}}
{{- end }}
