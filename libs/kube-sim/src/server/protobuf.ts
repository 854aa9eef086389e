// Decoding of the Kubernetes protobuf wire format for the few kinds kubectl's typed commands
// write (`kubectl auth can-i`, `kubectl create namespace|configmap|secret|serviceaccount`): the
// `k8s\0` magic, the runtime.Unknown envelope, then the object by a field-number table taken from
// the API's generated.proto. Any other kind is a 415 naming the way out (JSON or YAML bodies).
import { errors } from '../api/status';

type Schema = Record<number, Field>;
type Field =
  | { name: string; type: 'string' | 'bool' | 'int' | 'bytes' }
  | { name: string; type: 'message'; schema: Schema; repeated?: boolean }
  | { name: string; type: 'string'; repeated: true }
  | { name: string; type: 'map'; value: 'string' | 'bytes' };

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const OBJECT_META: Schema = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  11: { name: 'labels', type: 'map', value: 'string' },
  12: { name: 'annotations', type: 'map', value: 'string' },
  14: { name: 'finalizers', type: 'string', repeated: true },
};
const RESOURCE_ATTRIBUTES: Schema = {
  1: { name: 'namespace', type: 'string' },
  2: { name: 'verb', type: 'string' },
  3: { name: 'group', type: 'string' },
  4: { name: 'version', type: 'string' },
  5: { name: 'resource', type: 'string' },
  6: { name: 'subresource', type: 'string' },
  7: { name: 'name', type: 'string' },
};
const NON_RESOURCE_ATTRIBUTES: Schema = {
  1: { name: 'path', type: 'string' },
  2: { name: 'verb', type: 'string' },
};
const LOCAL_REF: Schema = { 1: { name: 'name', type: 'string' } };
const meta = { name: 'metadata', type: 'message', schema: OBJECT_META } as const;

const KINDS: Record<string, Schema> = {
  'authorization.k8s.io/v1/SelfSubjectAccessReview': {
    1: meta,
    2: {
      name: 'spec',
      type: 'message',
      schema: {
        1: { name: 'resourceAttributes', type: 'message', schema: RESOURCE_ATTRIBUTES },
        2: { name: 'nonResourceAttributes', type: 'message', schema: NON_RESOURCE_ATTRIBUTES },
      },
    },
  },
  'v1/Namespace': {
    1: meta,
    2: {
      name: 'spec',
      type: 'message',
      schema: { 1: { name: 'finalizers', type: 'string', repeated: true } },
    },
  },
  'v1/ConfigMap': {
    1: meta,
    2: { name: 'data', type: 'map', value: 'string' },
    3: { name: 'binaryData', type: 'map', value: 'bytes' },
    4: { name: 'immutable', type: 'bool' },
  },
  'v1/Secret': {
    1: meta,
    2: { name: 'data', type: 'map', value: 'bytes' },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: 'map', value: 'string' },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ServiceAccount': {
    1: meta,
    3: { name: 'imagePullSecrets', type: 'message', schema: LOCAL_REF, repeated: true },
    4: { name: 'automountServiceAccountToken', type: 'bool' },
  },
};

const UNKNOWN: Schema = {
  1: {
    name: 'typeMeta',
    type: 'message',
    schema: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
  },
  2: { name: 'raw', type: 'bytes' },
};

function fail(): never {
  throw errors.badRequest('the protobuf body of the request could not be decoded');
}

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length || shift > 49) fail();
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }

  bytes(): Buffer {
    const len = this.varint();
    if (this.pos + len > this.buf.length) fail();
    return this.buf.subarray(this.pos, (this.pos += len));
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 2) this.bytes();
    else if (wire === 1) this.pos += 8;
    else if (wire === 5) this.pos += 4;
    else fail();
  }
}

function decode(buf: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (r.pos < buf.length) {
    const key = r.varint();
    const field = schema[Math.floor(key / 8)];
    const wire = key & 7;
    if (!field) {
      r.skip(wire);
      continue;
    }
    if (field.type === 'bool' || field.type === 'int') {
      if (wire !== 0) fail();
      const v = r.varint();
      out[field.name] = field.type === 'bool' ? v !== 0 : v;
      continue;
    }
    if (wire !== 2) fail();
    const bytes = r.bytes();
    if (field.type === 'map') {
      const entry = decode(bytes, {
        1: { name: 'k', type: 'string' },
        2: { name: 'v', type: field.value === 'bytes' ? 'bytes' : 'string' },
      });
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      map[String(entry.k ?? '')] =
        field.value === 'bytes'
          ? ((entry.v as Buffer | undefined) ?? Buffer.alloc(0)).toString('base64')
          : (entry.v ?? '');
    } else if (field.type === 'message') {
      const value = decode(bytes, field.schema);
      if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
      else out[field.name] = value;
    } else if (field.type === 'bytes') {
      out[field.name] = bytes;
    } else if ('repeated' in field && field.repeated) {
      ((out[field.name] ??= []) as unknown[]).push(bytes.toString('utf8'));
    } else {
      out[field.name] = bytes.toString('utf8');
    }
  }
  return out;
}

/** A protobuf-encoded Kubernetes object as plain JSON, or a 415 for kinds it does not know. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) fail();
  const unknown = decode(body.subarray(4), UNKNOWN);
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const schema = KINDS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!schema) {
    throw errors.unsupportedMediaType([
      'application/json',
      'application/yaml',
      `application/vnd.kubernetes.protobuf (only for ${Object.keys(KINDS).join(', ')})`,
    ]);
  }
  return {
    apiVersion: typeMeta.apiVersion,
    kind: typeMeta.kind,
    ...decode((unknown.raw as Buffer) ?? Buffer.alloc(0), schema),
  };
}
