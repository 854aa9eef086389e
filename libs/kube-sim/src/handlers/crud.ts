// get, list, create, update, patch (JSON, merge, strategic, apply), delete and deletecollection on
// a resource or its status subresource, with dryRun=All and the real server's status codes.
import { errors } from '../api/status';
import { PATCH_CONTENT_TYPES, acceptedPatchTypes } from '../patch';
import { mediaType, parseBody, readBody, sendRawJson } from '../server/http';
import { type DeleteOptions, type PropagationPolicy } from '../store';
import { type KubeObject } from '../types';
import { type HandlerContext } from './context';
import { ListQuerySchema, WriteQuerySchema, parseQuery } from './query';
import { listJson, objectJson } from './serialize';
import { tableFor, wantsTable } from './table';

function sendObject(ctx: HandlerContext, code: number, o: KubeObject): void {
  if (wantsTable(ctx.req.headers.accept) && ctx.req.method === 'GET') {
    sendRawJson(
      ctx.res,
      code,
      JSON.stringify(tableFor(ctx.resource, [o], o.metadata.resourceVersion ?? '', ctx.query)),
    );
    return;
  }
  sendRawJson(ctx.res, code, objectJson(o));
}

async function readObject(ctx: HandlerContext): Promise<KubeObject> {
  const body = parseBody(await readBody(ctx.req), mediaType(ctx.req));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw errors.badRequest('the request body must be a JSON or YAML object');
  }
  const o = body as KubeObject;
  if (typeof o.metadata !== 'object' || o.metadata === null) o.metadata = {};
  return o;
}

/** Puts the URL's namespace (and for updates, name) into the body, refusing a mismatch. */
function bindToPath(ctx: HandlerContext, o: KubeObject): KubeObject {
  const { info, resource } = ctx;
  if (resource.namespaced) {
    if (o.metadata.namespace && o.metadata.namespace !== info.namespace) {
      throw errors.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    o.metadata.namespace = info.namespace;
  }
  if (info.name !== undefined) {
    if (o.metadata.name && o.metadata.name !== info.name) {
      throw errors.badRequest(
        `the name of the object (${o.metadata.name}) does not match the name on the URL (${info.name})`,
      );
    }
    o.metadata.name = info.name;
  }
  return o;
}

export function handleGet(ctx: HandlerContext): void {
  sendObject(ctx, 200, ctx.store.get(ctx.resource, ctx.info.namespace, ctx.info.name as string));
}

export function handleList(ctx: HandlerContext): void {
  const q = parseQuery(ListQuerySchema, ctx.query);
  const rv = q.resourceVersion;
  if (
    rv &&
    /^\d+$/.test(rv) &&
    Number(rv) > ctx.store.resourceVersion &&
    q.resourceVersionMatch !== undefined
  ) {
    throw errors.timeout(`Too large resource version: ${rv}, current: ${ctx.store.resourceVersion}`);
  }
  const result = ctx.store.list(ctx.resource, {
    namespace: ctx.info.namespace,
    labelSelector: q.labelSelector,
    fieldSelector: q.fieldSelector,
    limit: q.limit,
    continue: q.continue,
  });
  const meta = {
    resourceVersion: result.resourceVersion,
    continue: result.continue,
    remainingItemCount: result.remainingItemCount,
  };
  if (wantsTable(ctx.req.headers.accept)) {
    sendRawJson(
      ctx.res,
      200,
      JSON.stringify(tableFor(ctx.resource, result.items, result.resourceVersion, ctx.query, meta)),
    );
    return;
  }
  sendRawJson(ctx.res, 200, listJson(ctx.resource, result.items, meta));
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  const q = parseQuery(WriteQuerySchema, ctx.query);
  const o = bindToPath(ctx, await readObject(ctx));
  sendObject(ctx, 201, ctx.store.create(ctx.resource, o, { dryRun: q.dryRun, user: ctx.user }));
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const q = parseQuery(WriteQuerySchema, ctx.query);
  const o = bindToPath(ctx, await readObject(ctx));
  const subresource = ctx.info.subresource === 'status' ? 'status' : undefined;
  sendObject(ctx, 200, ctx.store.update(ctx.resource, o, { dryRun: q.dryRun, user: ctx.user, subresource }));
}

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const q = parseQuery(WriteQuerySchema, ctx.query);
  const type = PATCH_CONTENT_TYPES[mediaType(ctx.req)];
  if (!type) throw errors.unsupportedMediaType(acceptedPatchTypes(ctx.resource));
  const raw = await readBody(ctx.req);
  const body = parseBody(raw, type === 'apply' ? 'yaml' : 'json');
  const { namespace, name } = ctx.info as { namespace?: string; name: string };
  const subresource = ctx.info.subresource === 'status' ? 'status' : undefined;
  const options = { dryRun: q.dryRun, user: ctx.user, subresource } as const;
  if (type === 'apply') {
    if (!q.fieldManager) {
      throw errors.invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [
        {
          field: 'fieldManager',
          message: 'Required value: is required for apply patch',
          reason: 'FieldValueRequired',
        },
      ]);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw errors.badRequest('an apply patch must be an object');
    // Server-side apply, simplified: create when missing, otherwise merge the applied configuration.
    if (!ctx.store.find(ctx.resource, namespace, name)) {
      const o = bindToPath(ctx, body as KubeObject);
      sendObject(ctx, 201, ctx.store.create(ctx.resource, o, options));
      return;
    }
  }
  sendObject(ctx, 200, ctx.store.patch(ctx.resource, namespace, name, type, body, options));
}

async function deleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const q = parseQuery(WriteQuerySchema, ctx.query);
  const raw = await readBody(ctx.req);
  let policy: PropagationPolicy | undefined = q.propagationPolicy;
  let dryRun = q.dryRun;
  let preconditions: DeleteOptions['preconditions'];
  if (raw.length > 0 && raw.toString('utf8').trim() !== '') {
    const body = parseBody(raw, mediaType(ctx.req)) as {
      propagationPolicy?: string;
      orphanDependents?: boolean;
      dryRun?: string[];
      preconditions?: { uid?: string; resourceVersion?: string };
    };
    const p = body?.propagationPolicy;
    if (p !== undefined && p !== 'Foreground' && p !== 'Background' && p !== 'Orphan') {
      throw errors.badRequest(`DeleteOptions.propagationPolicy: Unsupported value: "${p}"`);
    }
    policy = (p as PropagationPolicy | undefined) ?? policy;
    if (body?.orphanDependents === true) policy = 'Orphan';
    if (Array.isArray(body?.dryRun) && body.dryRun.includes('All')) dryRun = true;
    preconditions = body?.preconditions;
  }
  if (q.orphanDependents === true) policy = 'Orphan';
  return { propagationPolicy: policy, dryRun, preconditions, user: ctx.user };
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const { object, finished } = ctx.store.delete(
    ctx.resource,
    ctx.info.namespace,
    ctx.info.name as string,
    options,
  );
  sendObject(ctx, finished ? 200 : 202, object);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const q = parseQuery(ListQuerySchema, ctx.query);
  const options = await deleteOptions(ctx);
  const deleted = ctx.store.deleteCollection(
    ctx.resource,
    { namespace: ctx.info.namespace, labelSelector: q.labelSelector, fieldSelector: q.fieldSelector },
    options,
  );
  sendRawJson(
    ctx.res,
    200,
    listJson(ctx.resource, deleted, { resourceVersion: String(ctx.store.resourceVersion) }),
  );
}
