// Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` asks for (Accept:
// ...;as=Table), with rows carrying PartialObjectMetadata, the object, or nothing (includeObject).
// The columns per kind live in table-columns.ts.
import { apiVersionOf, type ResourceType } from '../api/resources';
import { type KubeObject } from '../types';
import { type ListMeta } from './serialize';
import { columnsFor } from './table-columns';

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

function partialMetadata(o: KubeObject) {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function tableFor(
  r: ResourceType,
  items: KubeObject[],
  resourceVersion: string,
  query: URLSearchParams,
  meta: Partial<ListMeta> = {},
) {
  const columns = columnsFor(r);
  const include = query.get('includeObject') ?? 'Metadata';
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion, ...(meta.continue ? { continue: meta.continue } : {}) },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: `${c.name} of the ${apiVersionOf(r)} ${r.kind}`,
      priority: c.priority ?? 0,
    })),
    rows: items.map((o) => ({
      cells: columns.map((c) => c.cell(o as Record<string, unknown>, now)),
      ...(include === 'None' ? {} : { object: include === 'Object' ? o : partialMetadata(o) }),
    })),
  };
}
