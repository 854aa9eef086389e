// A typed edit checked against the live objects right before it is written: applied to the target
// as read (object-edits.ts in contracts, the same function the proposal's dry run used), a Service
// selector held to one workload's pods, a resources patch held to the configured maxima and to
// the namespace's LimitRanges and quotas. The result is the object writes.ts replaces the target
// with, stamped with the proposal so a repeat is recognised.
import {
  applyEdit,
  checkResourceBounds,
  containerResources,
  type EditAction,
  type EditableObject,
  type LimitRangeLike,
  type PodLike,
  type QuotaLike,
  selectorCheck,
  workloadPods,
} from '@foxhound/contracts';
import { type KubeClient } from '@foxhound/kube';
import { type SafetyPolicy } from './safety';
import { type RawObject } from './target';

export type EditCheck = { desired: EditableObject; note?: string } | { refusal: string };

const list = async <T>(client: KubeClient, path: string) =>
  (await client.getJson<{ items: T[] }>(path)).items;

export async function checkEdit(
  client: KubeClient,
  policy: SafetyPolicy,
  action: EditAction,
  target: RawObject,
): Promise<EditCheck> {
  const live = target as EditableObject;
  const edited = applyEdit(action, live);
  if ('refusal' in edited) return edited;
  const ns = `/api/v1/namespaces/${encodeURIComponent(action.namespace)}`;
  let note: string | undefined;
  if (action.type === 'PatchServiceSelector') {
    const pods = await list<PodLike>(client, `${ns}/pods`);
    const check = selectorCheck(action.selector, live.spec?.selector as Record<string, string>, pods);
    if ('refusal' in check) return check;
    note = `The selector matches the pods of ${check.workload} only.`;
  }
  if (action.type === 'PatchContainerResources') {
    const [limitRanges, quotas] = await Promise.all([
      list<LimitRangeLike>(client, `${ns}/limitranges`),
      list<QuotaLike>(client, `${ns}/resourcequotas`),
    ]);
    const bounds = checkResourceBounds({
      before: containerResources(live, action.container),
      after: containerResources(edited.object, action.container),
      pods: workloadPods(live),
      limitRanges,
      quotas,
      maxima: policy.resourceMaxima,
    });
    if (bounds.refusal) return { refusal: bounds.refusal };
    note = `Within its bounds: ${bounds.bounds.join('; ')}.`;
  }
  return { desired: edited.object, ...(note ? { note } : {}) };
}
