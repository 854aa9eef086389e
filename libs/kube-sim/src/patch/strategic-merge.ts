// Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds: lists with
// a merge key (containers by name, ports by containerPort or port, env, volumes, volumeMounts,
// conditions by type, ownerReferences by uid...) merge item by item; other lists replace. The
// directives kubectl sends are honoured: `$patch: replace|delete|merge`, `$retainKeys`,
// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
type Json = unknown;
type JsonObject = Record<string, Json>;

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  imagePullSecrets: 'name',
  resourceClaims: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
};
/** Lists of scalars whose patch merges as a set instead of replacing. */
const PRIMITIVE_MERGE = new Set(['finalizers']);

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

function isObject(v: Json): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeKeyFor(field: string, original: Json[], patch: Json[]): string | undefined {
  if (field === 'ports') {
    const sample = [...patch, ...original].find(isObject);
    return sample && 'containerPort' in sample ? 'containerPort' : 'port';
  }
  return MERGE_KEYS[field];
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((i) => !(isObject(i) && i.$patch === 'delete')).map(stripDirectives);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, val] of Object.entries(v)) {
    if (k.startsWith('$')) continue;
    out[k] = stripDirectives(val);
  }
  return out;
}

function orderBy(list: Json[], order: Json[], key: string | undefined): Json[] {
  const rank = (item: Json): number => {
    const i = order.findIndex((o) =>
      key && isObject(o) && isObject(item) ? o[key] === item[key] : o === item,
    );
    return i < 0 ? order.length : i;
  };
  return list
    .map((item, index) => ({ item, index, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.index - b.index)
    .map((x) => x.item);
}

function mergeList(field: string, original: Json, patch: Json[]): Json[] {
  const base = Array.isArray(original) ? original : [];
  if (PRIMITIVE_MERGE.has(field)) {
    const out = [...base];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const key = mergeKeyFor(field, base, patch);
  if (!key || patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return stripDirectives(patch.filter((p) => !(isObject(p) && p.$patch === 'replace'))) as Json[];
  }
  const out = [...base];
  for (const item of patch) {
    if (!isObject(item) || !(key in item)) {
      out.push(stripDirectives(item));
      continue;
    }
    const at = out.findIndex((o) => isObject(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = applyStrategicMergePatch(out[at], item);
    else out.push(stripDirectives(item));
  }
  return out;
}

export function applyStrategicMergePatch(original: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  const result: JsonObject = isObject(original) ? { ...original } : {};
  const orders: [string, Json[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(SET_ORDER)) {
      if (Array.isArray(value)) orders.push([key.slice(SET_ORDER.length), value]);
      continue;
    }
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value))
        result[field] = current.filter((v) => !value.includes(v));
      continue;
    }
    if (value === null || (isObject(value) && value.$patch === 'delete')) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(key, result[key], value);
    else if (isObject(value)) result[key] = applyStrategicMergePatch(result[key], value);
    else result[key] = value;
  }
  for (const [field, order] of orders) {
    const list = result[field];
    if (Array.isArray(list)) result[field] = orderBy(list, order, mergeKeyFor(field, list, order));
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) {
    for (const k of Object.keys(result)) if (!retain.includes(k)) delete result[k];
  }
  return result;
}
