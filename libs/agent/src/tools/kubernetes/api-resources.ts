// api_resources: what the API server serves, as `kubectl api-resources` lists it, with custom
// resources (CRDs) marked, so a model knows that Certificates, Rollouts or VirtualServices exist
// before it reasons about them. Filtered by a fragment of the name, kind or group.
import { z } from 'zod';
import { defineTool, noData, ok } from '../define';
import { table } from '../format';

const MAX_ROWS = 120;

export const apiResources = defineTool({
  name: 'api_resources',
  description:
    'List the resource types the cluster serves (kubectl api-resources): name, short names, apiVersion, namespaced, kind, with custom resources (CRDs: cert-manager, Argo, Istio, operators) marked. Filter with a fragment of the name, kind or API group. kubectl_get and kubectl_describe read the built-in kinds.',
  params: z.object({
    filter: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'Case-insensitive fragment of the resource name, kind or API group (e.g. "cert-manager", "rollout").',
      ),
    customOnly: z.boolean().optional().describe('Only resources defined by CustomResourceDefinitions.'),
  }),
  summary: (p) =>
    `Listing the API resources${p.customOnly ? ' defined by CRDs' : ''}${p.filter ? ` matching "${p.filter}"` : ''}`,
  outputBudget: 12_000,
  run: async (p, ctx) => {
    const { resources, gaps } = await ctx.cluster.discover();
    const needle = p.filter?.toLowerCase();
    const rows = resources.filter(
      (r) =>
        (!p.customOnly || r.custom) &&
        (!needle ||
          [r.name, r.kind, r.apiVersion, ...r.shortNames].some((x) => x.toLowerCase().includes(needle))),
    );
    const notes = gaps.length ? `\nNot read: ${gaps.join('; ')}.` : '';
    const what = `${p.customOnly ? 'custom ' : ''}resources${p.filter ? ` matching "${p.filter}"` : ''}`;
    if (!rows.length) return noData(`No ${what}.${notes}`, `No ${what}`);
    const shown = rows.slice(0, MAX_ROWS);
    const text = table(
      ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', 'CUSTOM'],
      shown.map((r) => [
        r.name,
        r.shortNames.join(','),
        r.apiVersion,
        String(r.namespaced),
        r.kind,
        r.custom ? 'CRD' : '',
      ]),
    );
    const more =
      rows.length > MAX_ROWS ? `\n(${rows.length - MAX_ROWS} more; narrow with filter or customOnly)` : '';
    const custom = rows.filter((r) => r.custom).length;
    const summary = p.customOnly ? `${rows.length} ${what}` : `${rows.length} ${what}, ${custom} custom`;
    return ok(`${text}${more}${notes}`, summary, shown);
  },
});
