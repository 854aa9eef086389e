// Admission: the hooks a write passes through after defaulting and before it is stored. Mutating
// hooks run first, then validating hooks; a hook refuses a write by throwing a StatusError (for
// example a 403 "exceeded quota"). The controllers (quota, agent-sandbox) register theirs here.
import { type ResourceType } from '../api/resources';
import { type KubeObject, type StoredObject, type UserInfo } from '../types';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: AdmissionOperation;
  resource: ResourceType;
  subresource?: 'status' | 'scale';
  namespace?: string;
  name: string;
  /** The object about to be stored; mutating hooks change it in place. Absent on DELETE. */
  object?: KubeObject;
  /** The stored object an UPDATE or DELETE replaces. */
  oldObject?: StoredObject;
  /** The caller; undefined for in-process writes. */
  user?: UserInfo;
  dryRun: boolean;
}

export interface AdmissionHook {
  name: string;
  /** `pods`, `deployments.apps`, `sandboxclaims.extensions.agents.x-k8s.io`; every resource when omitted. */
  resources?: string[];
  /** Every operation when omitted. */
  operations?: AdmissionOperation[];
  mutate?(request: AdmissionRequest): void;
  validate?(request: AdmissionRequest): void;
}

export class AdmissionChain {
  private readonly hooks: AdmissionHook[] = [];

  add(hook: AdmissionHook): () => void {
    this.hooks.push(hook);
    return () => {
      const i = this.hooks.indexOf(hook);
      if (i >= 0) this.hooks.splice(i, 1);
    };
  }

  run(request: AdmissionRequest): void {
    const applicable = this.hooks.filter((h) => applies(h, request));
    for (const h of applicable) h.mutate?.(request);
    for (const h of applicable) h.validate?.(request);
  }
}

function applies(hook: AdmissionHook, req: AdmissionRequest): boolean {
  if (hook.operations && !hook.operations.includes(req.operation)) return false;
  if (!hook.resources) return true;
  const { plural, group } = req.resource;
  return hook.resources.includes(group ? `${plural}.${group}` : plural);
}
