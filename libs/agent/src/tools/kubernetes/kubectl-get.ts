// kubectl_get: lists objects of one kind (a kubectl-style table with the columns that matter for
// that kind, columns.ts) or reads one object by name (its manifest without managedFields); either
// can be projected with a kubectl JSONPath template (jsonpath.ts) to just the fields asked for.
import { type Deployment, type KubeObject, type Pod } from '@foxhound/diagnostics';
import { z } from 'zod';
import { type KindInfo, resolveKind } from '../../cluster/kinds';
import { defineTool, failed, noData, ok, type ToolResult } from '../define';
import { nsName, podReady, podStatus } from '../format';
import { renderTable } from './columns';
import { evaluateJsonPath, isValidJsonPath, JsonPathError } from './jsonpath';
import { kindParam, labelSelectorParam, nameParam, namespaceParam } from './params';

const DEFAULT_LIMIT = 100;

export const kubectlGet = defineTool({
  name: 'kubectl_get',
  description:
    'List objects of one kind (optionally in one namespace, filtered by labels) as a table with the columns kubectl prints for that kind, or read one object by name as JSON. `jsonpath` projects the object (or the list, as {.items[*]...}) to just the fields you need. Start here to see what exists; use kubectl_describe for one object with its events, find_resource when you only know part of a name.',
  params: z.object({
    kind: kindParam,
    namespace: namespaceParam.optional(),
    name: nameParam.optional(),
    labelSelector: labelSelectorParam.optional(),
    limit: z
      .number()
      .int()
      .min(1)
      .max(500)
      .optional()
      .describe(`At most this many rows (default ${DEFAULT_LIMIT}).`),
    jsonpath: z
      .string()
      .min(1)
      .max(500)
      .refine(isValidJsonPath, { message: 'not a valid kubectl JSONPath template' })
      .optional()
      .describe(
        'A kubectl JSONPath template, e.g. {.spec.template.spec.containers[*].image} on one object, or {range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end} on a list; filters like [?(@.type=="Ready")] work.',
      ),
  }),
  summary: (p) =>
    p.name
      ? `Reading ${resolveKind(p.kind)!.apiKind} ${nsName(p.namespace, p.name)}`
      : `Listing ${kindPlural(resolveKind(p.kind)!)}${p.namespace ? ` in ${p.namespace}` : ''}${p.labelSelector ? ` (${p.labelSelector})` : ''}`,
  run: async (p, ctx) => {
    const info = resolveKind(p.kind)!;
    const namespace = info.namespaced ? p.namespace : undefined;
    if (p.name) {
      const obj = await ctx.cluster.get(info.kind, p.name, namespace);
      if (!obj)
        return noData(
          `${info.apiKind} ${nsName(namespace, p.name)} not found.`,
          `${info.apiKind} ${nsName(namespace, p.name)} not found`,
        );
      if (p.jsonpath)
        return project(p.jsonpath, withoutNoise(obj), `${info.apiKind} ${nsName(namespace, p.name)}`);
      return ok(
        JSON.stringify(withoutNoise(obj), null, 1),
        `Read ${info.apiKind} ${nsName(namespace, p.name)}`,
        obj,
      );
    }
    const limit = p.limit ?? DEFAULT_LIMIT;
    const items = await ctx.cluster.list(info.kind, {
      namespace,
      labelSelector: p.labelSelector,
      limit: limit + 1,
    });
    const where = namespace ? ` in ${namespace}` : info.namespaced ? ' in all namespaces' : '';
    if (items.length === 0)
      return noData(`No ${kindPlural(info)}${where}.`, `No ${kindPlural(info)}${where}`, items);
    const shown = items.slice(0, limit);
    const more = items.length > limit ? `\n(more than ${limit}; narrow with namespace or labelSelector)` : '';
    if (p.jsonpath) {
      const projected = project(
        p.jsonpath,
        { apiVersion: 'v1', kind: 'List', items: shown.map(withoutNoise) },
        `${shown.length} ${kindPlural(info)}${where}`,
      );
      return items.length > limit ? { ...projected, output: projected.output + more } : projected;
    }
    const text = renderTable(info, shown, ctx.now(), namespace === undefined && info.namespaced) + more;
    return ok(
      text,
      `${items.length > limit ? `>${limit}` : items.length} ${kindPlural(info)}${where}${summaryTail(info, shown)}`,
      shown,
    );
  },
});

/** The manifest as an engineer wants to read it: no managedFields or last-applied blobs. */
export function withoutNoise(obj: KubeObject): KubeObject {
  const annotations = { ...obj.metadata.annotations };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const { managedFields: _managed, ...metadata } = obj.metadata;
  return {
    ...obj,
    metadata: { ...metadata, ...(Object.keys(annotations).length ? { annotations } : {}) },
  } as KubeObject;
}

function summaryTail(info: KindInfo, items: KubeObject[]): string {
  if (info.kind === 'pods') {
    const unhealthy = (items as Pod[]).filter(
      (p) =>
        !['Running', 'Completed', 'Succeeded'].includes(podStatus(p)) ||
        podReady(p).split('/')[0] !== podReady(p).split('/')[1],
    );
    return unhealthy.length ? `, ${unhealthy.length} not ready or failing` : ', all running';
  }
  if (info.kind === 'deployments') {
    const short = (items as Deployment[]).filter(
      (d) => (d.status?.readyReplicas ?? 0) < (d.spec.replicas ?? 1),
    );
    return short.length ? `, ${short.length} below desired replicas` : '';
  }
  return '';
}

/** The JSONPath projection of `data`, or a result that says it matched nothing and how to look. */
function project(template: string, data: unknown, what: string): ToolResult {
  let text: string;
  try {
    text = evaluateJsonPath(template, data);
  } catch (err) {
    if (err instanceof JsonPathError) return failed(`Invalid jsonpath: ${err.message}.`);
    throw err;
  }
  if (text.trim() === '')
    return noData(
      `${template} matched nothing in ${what}. Read the object without jsonpath to see its fields; on a list, paths start with {.items[*]...}.`,
      `jsonpath matched nothing in ${what}`,
    );
  return ok(text, `Projected ${what} with ${template.length > 60 ? `${template.slice(0, 60)}…` : template}`);
}

/** "Pods", "NetworkPolicies", "Ingresses", "Endpoints": the kind's plural as a sentence reads it. */
function kindPlural(info: KindInfo): string {
  const k = info.apiKind;
  if (k.endsWith('s') && !k.endsWith('ss')) return k;
  if (k.endsWith('ss')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}
