// What the kubelet checks before it can run a pod, with its exact errors (kubernetes
// pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, pkg/volume/configmap and pkg/volume/secret
// MakePayload, pkg/kubelet/kuberuntime/security_context_others.go verifyRunAsNonRoot):
// - volumes, before the sandbox: a configMap or secret volume whose object or item key is missing
//   fails `MountVolume.SetUp` (the FailedMount event) and the pod stays ContainerCreating;
// - each container, after its image is pulled: envFrom and env references to a missing ConfigMap,
//   Secret or key, and runAsNonRoot against an image that runs as root, are a
//   CreateContainerConfigError with the message below.
// `optional: true` references that are missing are skipped, as the kubelet does. Pure: the kubelet
// passes a lookup over the store.
import { type KubeObject } from '../../types';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Reads a ConfigMap or Secret of the pod's namespace. */
export type ObjectLookup = (kind: 'configmaps' | 'secrets', name: string) => KubeObject | undefined;

/** The object's keys: `data` and `binaryData` of a ConfigMap, `data` (and unstored `stringData`) of a Secret. */
function keysOf(o: KubeObject): Set<string> {
  const j = o as Json;
  return new Set([
    ...Object.keys(j.data ?? {}),
    ...Object.keys(j.binaryData ?? {}),
    ...Object.keys(j.stringData ?? {}),
  ]);
}

/** `MountVolume.SetUp failed for volume "config" : configmap "app" not found`, for the first failing volume. */
export function volumeMountError(pod: KubeObject, lookup: ObjectLookup): string | undefined {
  for (const v of ((pod as Json).spec?.volumes ?? []) as Json[]) {
    const why = volumeError(v, lookup);
    if (why) return `MountVolume.SetUp failed for volume "${v.name}" : ${why}`;
  }
  return undefined;
}

function volumeError(v: Json, lookup: ObjectLookup): string | undefined {
  const cm = v.configMap;
  if (cm) {
    const found = lookup('configmaps', cm.name);
    if (!found) return cm.optional ? undefined : `configmap "${cm.name}" not found`;
    const keys = keysOf(found);
    const missing = ((cm.items ?? []) as Json[]).find((i) => !keys.has(i.key));
    return missing && !cm.optional
      ? `configmap references non-existent config key: ${missing.key}`
      : undefined;
  }
  const secret = v.secret;
  if (secret) {
    const found = lookup('secrets', secret.secretName);
    if (!found) return secret.optional ? undefined : `secret "${secret.secretName}" not found`;
    const keys = keysOf(found);
    const missing = ((secret.items ?? []) as Json[]).find((i) => !keys.has(i.key));
    return missing && !secret.optional ? `references non-existent secret key: ${missing.key}` : undefined;
  }
  return undefined;
}

/** The CreateContainerConfigError message for `container`, or undefined when it can be created. */
export function containerConfigError(
  pod: KubeObject,
  container: Json,
  lookup: ObjectLookup,
  imageRunsAsRoot: (image: string) => boolean,
): string | undefined {
  return envError(pod, container, lookup) ?? runAsNonRootError(pod, container, imageRunsAsRoot);
}

function envError(pod: KubeObject, c: Json, lookup: ObjectLookup): string | undefined {
  const namespace = pod.metadata.namespace;
  // envFrom first, then env, as makeEnvironmentVariables reads them.
  for (const from of (c.envFrom ?? []) as Json[]) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const kind = from.configMapRef ? 'configmaps' : 'secrets';
    if (!lookup(kind, ref.name) && !ref.optional) return notFound(kind, ref.name);
  }
  for (const e of (c.env ?? []) as Json[]) {
    const ref = e.valueFrom?.configMapKeyRef ?? e.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const kind = e.valueFrom.configMapKeyRef ? 'configmaps' : 'secrets';
    const found = lookup(kind, ref.name);
    if (!found) {
      if (ref.optional) continue;
      return notFound(kind, ref.name);
    }
    if (!keysOf(found).has(ref.key) && !ref.optional) {
      const what = kind === 'configmaps' ? 'ConfigMap' : 'Secret';
      return `couldn't find key ${ref.key} in ${what} ${namespace}/${ref.name}`;
    }
  }
  return undefined;
}

/** The kubelet's secret and configMap managers answer NotFound with the singular resource name. */
function notFound(kind: 'configmaps' | 'secrets', name: string): string {
  return `${kind === 'configmaps' ? 'configmap' : 'secret'} "${name}" not found`;
}

/** verifyRunAsNonRoot over the effective security context (container over pod). */
function runAsNonRootError(
  pod: KubeObject,
  c: Json,
  imageRunsAsRoot: (image: string) => boolean,
): string | undefined {
  const podSc: Json = (pod as Json).spec?.securityContext ?? {};
  const sc: Json = c.securityContext ?? {};
  const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
  if (runAsNonRoot !== true) return undefined;
  const user = sc.runAsUser ?? podSc.runAsUser;
  const where = `(pod: "${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})", container: ${c.name})`;
  if (user !== undefined) {
    return Number(user) === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  }
  return imageRunsAsRoot(String(c.image ?? ''))
    ? `container has runAsNonRoot and image will run as root ${where}`
    : undefined;
}
