// Image references: why a pull fails (the tag or repository does not exist, credentials, registry
// unreachable, malformed name) and which tag of the same repository the cluster already runs, so
// the fix can name a concrete image instead of "check your tag".
import { KIND_OF, type Lookup } from '../lookup';
import { type PodSpec, type PodTemplateSpec } from '../snapshot';

export interface ImageRef {
  /** `docker.io`, `ghcr.io`, `registry.example.com:5000`. */
  registry: string;
  /** `library/nginx`, `acme/checkout`. */
  repository: string;
  tag?: string;
  digest?: string;
}

export type PullFailure =
  'not-found' | 'unauthorized' | 'invalid-name' | 'registry-unreachable' | 'rate-limited' | 'unknown';

/** Parses `[registry/]repo[:tag][@digest]` with Docker's defaults (docker.io, library/, latest). */
export function parseImage(image: string): ImageRef | undefined {
  let rest = image.trim();
  if (!rest || /\s/.test(rest)) return undefined;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) registry = parts.shift()!;
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  if (!parts.every((p) => /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(p))) return undefined;
  const ref: ImageRef = { registry, repository: parts.join('/') };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

export function repositoryKey(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}`;
}

/** Classifies the kubelet's pull error message. */
export function classifyPullFailure(message: string | undefined, reason?: string): PullFailure {
  const text = message ?? '';
  if (reason === 'InvalidImageName' || /invalid reference format|InvalidImageName/i.test(text))
    return 'invalid-name';
  if (/toomanyrequests|rate limit/i.test(text)) return 'rate-limited';
  if (/pull access denied|unauthorized|authentication required|denied: |403 Forbidden|401/i.test(text)) {
    // Docker Hub answers "pull access denied ... may require 'docker login'" for repositories that do not exist.
    return /repository does not exist|not found/i.test(text) ? 'not-found' : 'unauthorized';
  }
  if (
    /manifest unknown|not found|NotFound|does not exist|no such manifest|manifest for .* not found/i.test(
      text,
    )
  )
    return 'not-found';
  if (
    /no such host|i\/o timeout|connection refused|dial tcp|TLS handshake timeout|network is unreachable/i.test(
      text,
    )
  )
    return 'registry-unreachable';
  return 'unknown';
}

/** Levenshtein distance, bounded: tags are short, and anything past `max` is "far". */
export function editDistance(a: string, b: string, max = 32): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

export interface ImageCandidate {
  image: string;
  /** Where it was seen: `ReplicaSet shop/web-5d4f (revision 3)`, `Pod shop/api-1`. */
  seenIn: string;
  /** True when the candidate is what this workload ran before (its previous ReplicaSet). */
  previous: boolean;
  distance: number;
}

function imagesOf(spec: PodSpec | undefined): string[] {
  if (!spec) return [];
  return [...(spec.initContainers ?? []), ...spec.containers].flatMap((c) => (c.image ? [c.image] : []));
}

interface SeenImage {
  image: string;
  seenIn: string;
}

const inUseMemo = new WeakMap<Lookup, Map<string, SeenImage[]>>();

/** Images of ready pods and of workload templates in scope, by repository, indexed once per snapshot. */
function imagesInUse(l: Lookup): Map<string, SeenImage[]> {
  let index = inUseMemo.get(l);
  if (index) return index;
  const built = new Map<string, SeenImage[]>();
  const seen = new Set<string>();
  const add = (image: string, seenIn: string) => {
    if (seen.has(image)) return;
    const ref = parseImage(image);
    if (!ref) return;
    seen.add(image);
    const key = repositoryKey(ref);
    const list = built.get(key);
    if (list) list.push({ image, seenIn });
    else built.set(key, [{ image, seenIn }]);
  };
  for (const pod of l.list('pods')) {
    if (!pod.status?.containerStatuses?.every((s) => s.ready)) continue;
    for (const image of imagesOf(pod.spec)) add(image, `Pod ${pod.metadata.namespace}/${pod.metadata.name}`);
  }
  for (const kind of ['deployments', 'statefulSets', 'daemonSets'] as const) {
    for (const w of l.list(kind)) {
      for (const image of imagesOf(w.spec.template.spec))
        add(image, `${KIND_OF[kind]} ${w.metadata.namespace}/${w.metadata.name}`);
    }
  }
  index = built;
  inUseMemo.set(l, index);
  return index;
}

/**
 * Other images of the same repository the cluster runs or ran: the workload's previous ReplicaSets
 * first (what worked before), then anything else in scope, closest tag first. Digest-pinned or
 * unparseable images yield nothing.
 */
export function closestImages(
  l: Lookup,
  image: string,
  previousTemplates: { template?: PodTemplateSpec; seenIn: string }[] = [],
): ImageCandidate[] {
  const wanted = parseImage(image);
  if (!wanted) return [];
  const key = repositoryKey(wanted);
  const candidates = new Map<string, ImageCandidate>();
  const consider = (candidate: string, seenIn: string, previous: boolean) => {
    if (candidate === image || candidates.has(candidate)) return;
    const ref = parseImage(candidate);
    if (!ref || repositoryKey(ref) !== key) return;
    candidates.set(candidate, {
      image: candidate,
      seenIn,
      previous,
      distance: editDistance(wanted.tag ?? 'latest', ref.tag ?? 'latest'),
    });
  };
  for (const { template, seenIn } of previousTemplates) {
    for (const candidate of imagesOf(template?.spec)) consider(candidate, seenIn, true);
  }
  for (const { image: candidate, seenIn } of imagesInUse(l).get(key) ?? [])
    consider(candidate, seenIn, false);
  return [...candidates.values()].sort(
    (a, b) => Number(b.previous) - Number(a.previous) || a.distance - b.distance,
  );
}
