// The renamed lane: every object name replaced consistently in objects, events, logs, metrics, the
// prompt and the expectations. Names are rewritten token by token (`carrier-api-keys` and
// `carrier-api-credentials` keep their shared prefix), so the structure a careful engineer would
// read survives while every meaning a name carries is gone: an engine that passes only because
// the deployment is called `redis` or the namespace `payments` fails here.
import { type ScenarioContent } from '@foxhound/kube-sim';
import { allText, replaceNames, rewriteContent } from './rewrite';

/** Kinds whose names a user chose (controllers derive pods', ReplicaSets' and Jobs' names from them). */
const RENAMED_KINDS = new Set([
  'Namespace',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
  'Job',
  'Service',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'HorizontalPodAutoscaler',
  'Ingress',
  'ServiceAccount',
  'PodDisruptionBudget',
  'Pod',
]);

/** Names the system gives or owns: renaming them would describe another cluster, not hide a hint. */
function isSystemName(name: string): boolean {
  return (
    name === 'default' ||
    name === 'kubernetes' ||
    name.startsWith('kube-') ||
    name.startsWith('system:') ||
    name.includes('.')
  );
}

const WORDS = [
  'alder',
  'birch',
  'cedar',
  'dogwood',
  'elm',
  'fir',
  'ginkgo',
  'hazel',
  'ilex',
  'juniper',
  'kapok',
  'larch',
  'maple',
  'nutmeg',
  'olive',
  'poplar',
  'quince',
  'rowan',
  'spruce',
  'tamarind',
  'umbra',
  'viburnum',
  'willow',
  'yew',
  'zelkova',
  'acacia',
  'baobab',
  'cypress',
  'ebony',
  'fig',
  'gum',
  'hemlock',
  'iroko',
  'jacaranda',
  'kauri',
  'linden',
  'myrtle',
  'neem',
  'oak',
  'pine',
];

/** Token-wise replacement words; `seed` gives another alphabet (the noise lane's workloads). */
export function tokenNamer(taken: string, seed = 0): (token: string) => string {
  const map = new Map<string, string>();
  let next = seed;
  return (token) => {
    if (/^(v?\d+[a-z]?|\d.*)$/.test(token)) return token; // versions and ordinals carry no meaning
    let name = map.get(token);
    while (!name) {
      const word =
        WORDS[next % WORDS.length] + (next >= WORDS.length ? String(Math.floor(next / WORDS.length)) : '');
      next += 1;
      if (!new RegExp(`\\b${word}\\b`, 'i').test(taken)) name = word;
    }
    map.set(token, name);
    return name;
  };
}

/** Where a spec names another object by `name` (the object may be missing: that can be the incident). */
const REFERENCE_PARENTS = new Set([
  'secretKeyRef',
  'configMapKeyRef',
  'secretRef',
  'configMapRef',
  'configMap',
  'secret',
]);
/** Keys whose value is another object's name. */
const REFERENCE_KEYS = new Set(['secretName', 'claimName', 'serviceAccountName']);

function references(value: unknown, parent: string, into: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) references(v, parent, into);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' && (REFERENCE_KEYS.has(k) || (k === 'name' && REFERENCE_PARENTS.has(parent))))
        into.add(v);
      else references(v, k, into);
    }
  }
}

/** The user-chosen names of a scenario's objects and namespaces, each mapped to its new name. */
export function nameMap(
  content: ScenarioContent,
  options: { seed?: number; fixed?: Record<string, string> } = {},
): Map<string, string> {
  const names = new Set<string>(content.manifest.namespaces);
  for (const { object } of content.objects) {
    if (!RENAMED_KINDS.has(object.kind)) continue;
    const name = object.metadata.name as string;
    // A pod's name derives from its owner's, which is renamed; only bare pods are named by a user.
    if (object.kind === 'Pod' && (object.metadata.ownerReferences as unknown[] | undefined)?.length) continue;
    names.add(name);
    if (object.metadata.namespace) names.add(object.metadata.namespace);
  }
  for (const { object } of content.objects) references(object.spec, 'spec', names);
  const e = content.manifest.expect;
  for (const ref of [
    e.object,
    ...e.concurrent.map((c) => c.object),
    ...content.manifest.followUps.flatMap((f) => f.expect.objects),
  ])
    if (ref) names.add(ref.name);
  const tokenOf = tokenNamer(allText(content), options.seed);
  const map = new Map<string, string>();
  for (const name of names) {
    if (isSystemName(name)) continue;
    map.set(name, options.fixed?.[name] ?? name.split('-').map(tokenOf).join('-'));
    // Its leading tokens too (`invoice-backfill` of Job `invoice-backfill-2025-11`): an expectation or
    // a log may name the family, and token-wise renaming keeps it the new name's prefix.
    const tokens = name.split('-');
    for (let n = 2; n < tokens.length; n += 1) {
      const prefix = tokens.slice(0, n).join('-');
      if (!options.fixed?.[name] && !map.has(prefix) && !names.has(prefix))
        map.set(prefix, tokens.slice(0, n).map(tokenOf).join('-'));
    }
  }
  return map;
}

export function renameContent(content: ScenarioContent): ScenarioContent {
  return rewriteContent(content, replaceNames(nameMap(content)));
}
