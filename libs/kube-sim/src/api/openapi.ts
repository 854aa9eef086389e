// A minimal OpenAPI v3 surface: the index at /openapi/v3 and one document per group version
// listing each resource's PATCH operation with its group-version-kind and the `fieldValidation`
// and `dryRun` parameters. kubectl reads exactly this to decide that the server validates fields
// itself (so `kubectl apply` needs no client-side schema); schemas are not served.
import { createHash } from 'node:crypto';
import { type ResourceRegistry } from './registry';

function docPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export function openApiIndex(registry: ResourceRegistry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of registry.groupVersions()) {
    const p = docPath(group, version);
    const hash = createHash('sha256')
      .update(`${p}@${registry.version}`)
      .digest('hex')
      .slice(0, 16)
      .toUpperCase();
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { paths };
}

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
  name,
  in: 'query',
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

export function openApiDocument(registry: ResourceRegistry, path: string) {
  const gv = registry.groupVersions().find(({ group, version }) => docPath(group, version) === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const r of registry.all()) {
    if (r.group !== gv.group || r.version !== gv.version || !r.verbs.includes('patch')) continue;
    const prefix = `/${docPath(r.group, r.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}`;
    paths[`${prefix}/${r.plural}/{name}`] = {
      patch: {
        operationId: `patch${r.kind}`,
        parameters: QUERY_PARAMS,
        responses: { '200': { description: 'OK' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}
