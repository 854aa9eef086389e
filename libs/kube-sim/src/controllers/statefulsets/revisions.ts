// StatefulSet revisions as the real controller keeps them (pkg/controller/history): a
// ControllerRevision `<set>-<hash>` per distinct pod template, whose `data` is the patch that
// restores it (`{"spec":{"template":{"$patch":"replace",...}}}`, what `kubectl rollout undo
// statefulset` applies) and whose `revision` number grows with each new template; a template equal
// to an older revision's reuses that revision with the next number.
import { type KubeStore } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { controllerRef, isControlledBy } from '../owners';
import { normalizeTemplate, podTemplateHash, templatesEqual } from '../workloads/template';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CONTROLLER_REVISIONS = 'controllerrevisions.apps';
/** On pods: the revision they were made from. */
export const REVISION_LABEL = 'controller-revision-hash';
/** On a ControllerRevision: its hash. */
const HASH_LABEL = 'controller.kubernetes.io/hash';

export function revisionsOf(store: KubeStore, owner: StoredObject): StoredObject[] {
  return store
    .list(CONTROLLER_REVISIONS, { namespace: owner.metadata.namespace })
    .items.filter((r) => isControlledBy(r, owner))
    .sort((a, b) => ((a as Json).revision ?? 0) - ((b as Json).revision ?? 0));
}

const templateOf = (revision: StoredObject): Json => {
  const t: Json = { ...((revision as Json).data?.spec?.template ?? {}) };
  delete t.$patch;
  return t;
};

/** The name of the revision holding the owner's current template, created (or renumbered) if needed. */
export function ensureUpdateRevision(store: KubeStore, owner: StoredObject): string {
  const template: Json = (owner as Json).spec?.template ?? {};
  const revisions = revisionsOf(store, owner);
  const next = ((revisions.at(-1) as Json | undefined)?.revision ?? 0) + 1;
  const equal = revisions.find((r) => templatesEqual(templateOf(r), template));
  if (equal) {
    if (equal !== revisions.at(-1)) {
      store.update(CONTROLLER_REVISIONS, { ...equal, revision: next } as KubeObject);
    }
    return equal.metadata.name;
  }
  // A set loaded from a scenario has no ControllerRevision here but names its revision in its
  // status: adopt that name for its template, so its pods (labelled with it) count as up to date
  // instead of being rolled because this hash differs from the real cluster's.
  const captured: string | undefined = revisions.length ? undefined : (owner as Json).status?.updateRevision;
  const name = captured ?? `${owner.metadata.name}-${podTemplateHash(template)}`;
  if (store.find(CONTROLLER_REVISIONS, owner.metadata.namespace, name)) return name;
  store.create(CONTROLLER_REVISIONS, {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: {
        ...((owner as Json).spec?.selector?.matchLabels ?? {}),
        [HASH_LABEL]: name.slice(owner.metadata.name.length + 1),
      },
      ownerReferences: [controllerRef(owner)],
    },
    data: { spec: { template: { $patch: 'replace', ...normalizeTemplate(template) } } },
    revision: next,
  } as KubeObject);
  return name;
}
