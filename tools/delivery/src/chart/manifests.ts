// Typed views over rendered manifests: find objects, the pod templates of workloads (Deployments
// and the executor's agent-sandbox SandboxTemplate alike), label selector matching.
import { type ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';
import { type IContainer, type IPodSpec } from 'kubernetes-models/v1';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // Kind-specific fields (spec, data, rules, ...), read through the helpers below.
  [field: string]: unknown;
}

export type Labels = Record<string, string>;

export interface PodTemplate {
  /** The object that carries the template: a Deployment or a SandboxTemplate. */
  owner: K8sObject;
  namespace: string;
  labels: Labels;
  annotations: Labels;
  spec: IPodSpec;
}

export const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'RuntimeClass',
  'CustomResourceDefinition',
]);

export function spec<T = Record<string, unknown>>(object: K8sObject): T {
  return (object.spec ?? {}) as T;
}

export function ofKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

/** The one object of this kind and name; throws listing what exists when missing. */
export function getObject(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) {
    const names = ofKind(objects, kind).map((object) => object.metadata.name);
    throw new Error(`no ${kind} named ${name}; rendered: ${names.join(', ') || 'none'}`);
  }
  return found;
}

export function podTemplates(objects: readonly K8sObject[]): PodTemplate[] {
  const templates: PodTemplate[] = [];
  for (const owner of objects) {
    let template: { metadata?: { labels?: Labels; annotations?: Labels }; spec?: IPodSpec } | undefined;
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(owner.kind)) {
      template = spec<{ template?: typeof template }>(owner).template;
    } else if (owner.kind === 'SandboxTemplate' || owner.kind === 'Sandbox') {
      template = spec<{ podTemplate?: typeof template }>(owner).podTemplate;
    }
    if (!template?.spec) continue;
    templates.push({
      owner,
      namespace: owner.metadata.namespace ?? '',
      labels: template.metadata?.labels ?? {},
      annotations: template.metadata?.annotations ?? {},
      spec: template.spec,
    });
  }
  return templates;
}

export function containersOf(pod: IPodSpec): IContainer[] {
  return [...(pod.initContainers ?? []), ...pod.containers];
}

/** Kubernetes label selector semantics (matchLabels AND matchExpressions); `{}` selects everything. */
export function selects(selector: ILabelSelector | undefined, labels: Labels): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    const ok =
      operator === 'In'
        ? has && values.includes(labels[key])
        : operator === 'NotIn'
          ? !has || !values.includes(labels[key])
          : operator === 'Exists'
            ? has
            : operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

/** Name of the component a pod template or object belongs to (`app.kubernetes.io/name`). */
export function componentOf(object: { labels?: Labels; metadata?: { labels?: Labels } }): string {
  const labels = object.labels ?? object.metadata?.labels ?? {};
  return labels['app.kubernetes.io/name'] ?? '';
}
