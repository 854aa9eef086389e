// What to propose for an image whose tag does not exist, from the tags the registry really lists
// and the tags of the same repository the cluster ran: a tag only with evidence, never a guess.
// Two kinds of evidence count: the registry lists the same version spelled differently (`v1.4.2`
// for `1.4.2`), or it lists a tag the cluster ran before (the previous revision's first). Anything
// else is "no safe fix", with the registry's nearest versions shown for a human to judge.

export interface TagSeen {
  tag: string;
  /** Where the cluster ran it: "ReplicaSet shop/web-5d4 (revision 3)". */
  seenIn: string;
}

export type TagDecision =
  | { kind: 'exists'; evidence: string[] }
  | { kind: 'propose'; tag: string; evidence: string[] }
  | { kind: 'no-safe-fix'; reason: string; evidence: string[] };

const MAX_SHOWN = 5;

/** Lowercased, without a leading `v`: the spellings of one version that registries mix. */
const spelling = (tag: string) => tag.toLowerCase().replace(/^v(?=\d)/, '');

export function nearestTag(input: {
  requested: string;
  /** What the registry lists for the repository. */
  registryTags: readonly string[];
  /** Tags of the same repository the cluster ran, most relevant (previous revision) first. */
  ranBefore: readonly TagSeen[];
}): TagDecision {
  const { requested, registryTags, ranBefore } = input;
  const listed = new Set(registryTags);
  const count = `the registry lists ${registryTags.length} tag(s)`;
  if (listed.has(requested))
    return {
      kind: 'exists',
      evidence: [`${count}, ${requested} among them: the pull fails for another reason.`],
    };
  const respelled = registryTags.filter((t) => spelling(t) === spelling(requested));
  if (respelled.length === 1)
    return {
      kind: 'propose',
      tag: respelled[0]!,
      evidence: [
        `${count}; it has no ${requested} but has ${respelled[0]}, the same version spelled differently.`,
      ],
    };
  const known = ranBefore.find((seen) => listed.has(seen.tag) && seen.tag !== requested);
  if (known)
    return {
      kind: 'propose',
      tag: known.tag,
      evidence: [
        `${count}; it has no ${requested}.`,
        `The cluster ran ${known.tag} (${known.seenIn}) and the registry still lists it.`,
      ],
    };
  const nearest = closestVersions(requested, registryTags).slice(0, MAX_SHOWN);
  return {
    kind: 'no-safe-fix',
    reason: `no safe fix: the registry has no tag ${requested}, and the cluster ran none of the tags it lists; a different version would be a guess.`,
    evidence: [
      `${count}${nearest.length ? `; nearest by version: ${nearest.join(', ')}` : ''}.`,
      ranBefore.length
        ? `The cluster ran ${ranBefore.map((s) => s.tag).join(', ')}, which the registry no longer lists.`
        : 'The cluster ran no other tag of this repository.',
    ],
  };
}

/** Registry tags ordered by how close their numeric version is to the requested one (shown, never proposed). */
export function closestVersions(requested: string, tags: readonly string[]): string[] {
  const want = numbers(requested);
  if (!want.length) return [];
  const distance = (tag: string) => {
    const have = numbers(tag);
    if (!have.length) return Number.POSITIVE_INFINITY;
    // The first differing component decides, weighted so that a major outweighs any minor.
    for (let i = 0; i < Math.max(want.length, have.length); i++) {
      const d = Math.abs((want[i] ?? 0) - (have[i] ?? 0));
      if (d) return (i + 1) * 1e-3 + Math.min(d, 999) * 10 ** (6 - 3 * i);
    }
    return 0;
  };
  return tags
    .map((tag) => ({ tag, d: distance(tag) }))
    .filter((t) => Number.isFinite(t.d))
    .sort((a, b) => a.d - b.d || (a.tag < b.tag ? -1 : 1))
    .map((t) => t.tag);
}

const numbers = (tag: string) =>
  (spelling(tag).match(/^\d+(\.\d+)*/)?.[0] ?? '').split('.').filter(Boolean).map(Number);
