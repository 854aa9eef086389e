// The Foxhound executor's pod template and the agent-sandbox objects built from it: the
// SandboxTemplate and SandboxWarmPool the Helm chart installs, and the podTemplate of a bare
// Sandbox in `sandbox` mode. Locked down: non-root, read-only root, no privilege escalation, every
// capability dropped, RuntimeDefault seccomp, bounded CPU, memory and ephemeral storage, gVisor
// when a runtime class is configured, and the executor's read-only ServiceAccount.
import {
  AGENT_SANDBOX_EXTENSIONS_GROUP,
  AGENT_SANDBOX_VERSION,
  type SandboxPodTemplate,
  type SandboxTemplate,
  type SandboxWarmPool,
} from '@foxhound/contracts';

export interface ExecutorPodSettings {
  image: string;
  port: number;
  /** e.g. `gvisor`; unset runs under the node's default runtime. */
  runtimeClassName?: string;
  serviceAccountName: string;
  cpuLimit: string;
  memoryLimit: string;
  ephemeralStorageLimit: string;
}

/** The uid the executor image runs as. */
const EXECUTOR_UID = 1000;

export function executorPodTemplate(settings: ExecutorPodSettings): SandboxPodTemplate {
  const { port } = settings;
  return {
    metadata: {
      labels: { 'app.kubernetes.io/name': 'foxhound-executor', 'app.kubernetes.io/component': 'sandbox' },
    },
    spec: {
      ...(settings.runtimeClassName ? { runtimeClassName: settings.runtimeClassName } : {}),
      serviceAccountName: settings.serviceAccountName,
      // The executor reads the cluster with its own read-only ServiceAccount.
      automountServiceAccountToken: true,
      enableServiceLinks: false,
      restartPolicy: 'Always',
      securityContext: {
        runAsNonRoot: true,
        runAsUser: EXECUTOR_UID,
        runAsGroup: EXECUTOR_UID,
        fsGroup: EXECUTOR_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: 'executor',
          image: settings.image,
          ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
          env: [
            { name: 'PORT', value: String(port) },
            { name: 'HOST', value: '0.0.0.0' },
            { name: 'HOME', value: '/tmp' },
          ],
          readinessProbe: { httpGet: { path: '/healthz', port }, periodSeconds: 1, failureThreshold: 3 },
          livenessProbe: { httpGet: { path: '/healthz', port }, periodSeconds: 10, failureThreshold: 3 },
          resources: {
            requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '256Mi' },
            limits: {
              cpu: settings.cpuLimit,
              memory: settings.memoryLimit,
              'ephemeral-storage': settings.ephemeralStorageLimit,
            },
          },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [{ name: 'scratch', mountPath: '/tmp' }],
        },
      ],
      volumes: [{ name: 'scratch', emptyDir: { sizeLimit: settings.ephemeralStorageLimit } }],
    },
  };
}

export function executorSandboxTemplate(
  name: string,
  namespace: string,
  settings: ExecutorPodSettings,
): SandboxTemplate {
  return {
    apiVersion: `${AGENT_SANDBOX_EXTENSIONS_GROUP}/${AGENT_SANDBOX_VERSION}`,
    kind: 'SandboxTemplate',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'foxhound' } },
    spec: { podTemplate: executorPodTemplate(settings) },
  };
}

/** `replicas: 0` gives cold-only claims (a v1beta1 claim must name a pool). */
export function executorWarmPool(
  name: string,
  namespace: string,
  template: string,
  replicas: number,
): SandboxWarmPool {
  return {
    apiVersion: `${AGENT_SANDBOX_EXTENSIONS_GROUP}/${AGENT_SANDBOX_VERSION}`,
    kind: 'SandboxWarmPool',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/part-of': 'foxhound' } },
    spec: { replicas, sandboxTemplateRef: { name: template } },
  };
}
