// The live resource table: the built-in rows plus one row per served version of every
// CustomResourceDefinition in the store. Lookups by URL segments (routing) and by apiVersion/kind
// (scenario loading, ownerReferences) both go through here.
import { type KubeObject } from '../types';
import { ALL_VERBS, BUILTIN_RESOURCES, apiVersionOf, type ResourceType, type Subresource } from './resources';

export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();
  private readonly fromCrd = new Map<string, ResourceType[]>();
  private generation = 0;

  constructor(resources: ResourceType[] = BUILTIN_RESOURCES) {
    for (const r of resources) this.add(r);
  }

  /** Changes whenever a CRD adds or removes resources (discovery documents are cached on it). */
  get version(): number {
    return this.generation;
  }

  all(): ResourceType[] {
    return [...this.byPath.values()];
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** Group versions in discovery order: core first, then groups in the order they were added. */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const r of this.byPath.values())
      seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
    return [...seen.values()];
  }

  /** Adds or replaces the rows of a CustomResourceDefinition; called by the store on every CRD write. */
  syncCrd(crd: KubeObject, deleted: boolean): void {
    const name = crd.metadata.name ?? '';
    for (const r of this.fromCrd.get(name) ?? []) {
      this.byPath.delete(pathKey(r));
      this.byKind.delete(kindKey(r));
    }
    this.fromCrd.delete(name);
    if (!deleted) {
      const rows = rowsFromCrd(crd).filter((r) => !this.byPath.has(pathKey(r)));
      for (const r of rows) this.add(r);
      this.fromCrd.set(name, rows);
    }
    this.generation++;
  }

  private add(r: ResourceType): void {
    this.byPath.set(pathKey(r), r);
    // The first row of a kind wins: core v1 Event stays the kind for `v1/Event`.
    if (!this.byKind.has(kindKey(r))) this.byKind.set(kindKey(r), r);
  }
}

const pathKey = (r: ResourceType) => `${r.group}/${r.version}/${r.plural}`;
const kindKey = (r: ResourceType) => `${apiVersionOf(r)}/${r.kind}`;

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { kind?: string; plural?: string; singular?: string; shortNames?: string[]; categories?: string[] };
  versions?: {
    name?: string;
    served?: boolean;
    subresources?: {
      status?: unknown;
      scale?: { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string };
    };
  }[];
}

function rowsFromCrd(crd: KubeObject): ResourceType[] {
  const spec = (crd.spec ?? {}) as CrdSpec;
  const names = spec.names ?? {};
  if (!spec.group || !names.kind || !names.plural) return [];
  return (spec.versions ?? [])
    .filter((v) => v.served !== false && v.name)
    .map((v) => {
      const subresources: Subresource[] = [];
      if (v.subresources?.status !== undefined) subresources.push('status');
      const scale = v.subresources?.scale;
      if (scale) subresources.push('scale');
      return {
        group: spec.group as string,
        version: v.name as string,
        kind: names.kind as string,
        plural: names.plural as string,
        singular: names.singular ?? (names.kind as string).toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: ALL_VERBS,
        subresources,
        fieldLabels: [],
        strategicMerge: false,
        scale:
          scale?.specReplicasPath && scale.statusReplicasPath
            ? {
                specReplicasPath: scale.specReplicasPath.replace(/^\./, ''),
                statusReplicasPath: scale.statusReplicasPath.replace(/^\./, ''),
                labelSelectorPath: scale.labelSelectorPath?.replace(/^\./, ''),
              }
            : undefined,
      };
    });
}
