// The scale subresource: an autoscaling/v1 Scale view of a workload's replica count, readable and
// writable with GET, PUT and PATCH like `kubectl scale` and an HPA use it.
import { type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { PATCH_CONTENT_TYPES, acceptedPatchTypes, applyPatch } from '../patch';
import { fromStructured, formatLabelSelector } from '../selectors/labels';
import { mediaType, parseBody, readBody, sendJson } from '../server/http';
import { type KubeObject } from '../types';
import { type HandlerContext } from './context';
import { WriteQuerySchema, parseQuery } from './query';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function readPath(o: unknown, path: string): unknown {
  let cur = o;
  for (const p of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Json)[p] : undefined;
  return cur;
}

function toScale(r: ResourceType, o: KubeObject) {
  const paths = r.scale!;
  const selector = r.strategicMerge
    ? formatLabelSelector(fromStructured(((o as Json).spec?.selector ?? {}) as Json))
    : paths.labelSelectorPath
      ? readPath(o, paths.labelSelectorPath)
      : undefined;
  const { name, namespace, uid, resourceVersion, creationTimestamp } = o.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: Number(readPath(o, paths.specReplicasPath) ?? 0) },
    status: {
      replicas: Number(readPath(o, paths.statusReplicasPath) ?? 0),
      ...(selector ? { selector } : {}),
    },
  };
}

export async function handleScale(ctx: HandlerContext): Promise<void> {
  const r = ctx.resource;
  if (!r.scale) throw errors.noRoute();
  const { namespace, name } = ctx.info as { namespace?: string; name: string };
  const current = ctx.store.get(r, namespace, name);
  if (ctx.info.verb === 'get') {
    sendJson(ctx.res, 200, toScale(r, current));
    return;
  }
  const q = parseQuery(WriteQuerySchema, ctx.query);
  const raw = await readBody(ctx.req);
  let scale: Json;
  if (ctx.info.verb === 'update') {
    scale = parseBody(raw, mediaType(ctx.req)) as Json;
  } else {
    const type = PATCH_CONTENT_TYPES[mediaType(ctx.req)];
    if (!type || type === 'apply') throw errors.unsupportedMediaType(acceptedPatchTypes(r));
    scale = applyPatch(
      { ...r, strategicMerge: true },
      type,
      toScale(r, current),
      parseBody(raw, 'json'),
    ) as Json;
  }
  const replicas = scale?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw errors.invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
      {
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
  const rv = scale?.metadata?.resourceVersion;
  if (rv && rv !== current.metadata.resourceVersion) {
    throw errors.staleVersion(r, name);
  }
  const segments = r.scale!.specReplicasPath.split('.');
  const patch: Json = {};
  let cursor = patch;
  segments.forEach((s, i) => (cursor = cursor[s] = i === segments.length - 1 ? replicas : {}));
  const updated = ctx.store.patch(r, namespace, name, 'merge', patch, { dryRun: q.dryRun, user: ctx.user });
  sendJson(ctx.res, 200, toScale(r, updated));
}
