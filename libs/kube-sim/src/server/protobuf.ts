// Decoding of the Kubernetes protobuf wire format for the kinds in protobuf-kinds.ts: the `k8s\0`
// magic, the runtime.Unknown envelope, then the object by its field-number table. Go decodes into
// structs where an empty string means unset, so empty strings are dropped here too (server-side
// defaulting then applies). Any other kind is a 415 naming the way out (JSON or YAML bodies).
import { errors } from '../api/status';
import { KINDS, type Schema } from './protobuf-kinds';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const UNKNOWN: Schema = {
  1: {
    name: 'typeMeta',
    type: 'message',
    schema: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
  },
  2: { name: 'raw', type: 'bytes' },
};
const MAP_ENTRY_STRING: Schema = { 1: { name: 'k', type: 'string' }, 2: { name: 'v', type: 'string' } };
const MAP_ENTRY_BYTES: Schema = { 1: { name: 'k', type: 'string' }, 2: { name: 'v', type: 'bytes' } };
/** map<string, Quantity>: a Quantity is a message holding its string form in field 1. */
const MAP_ENTRY_QUANTITY: Schema = {
  1: { name: 'k', type: 'string' },
  2: { name: 'v', type: 'message', schema: { 1: { name: 'string', type: 'string' } } },
};
const INT_OR_STRING: Schema = {
  1: { name: 'type', type: 'int' },
  2: { name: 'intVal', type: 'int' },
  3: { name: 'strVal', type: 'string' },
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
      if (this.pos >= this.buf.length || shift > 63) fail();
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
    if (this.pos > this.buf.length) fail();
  }
}

/** int32/int64 fields are varints; negative numbers arrive as 64-bit two's complement. */
function signed(v: number): number {
  return v >= 2 ** 63 ? v - 2 ** 64 : v;
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
      out[field.name] = field.type === 'bool' ? v !== 0 : signed(v);
      continue;
    }
    if (wire !== 2) fail();
    const bytes = r.bytes();
    switch (field.type) {
      case 'map': {
        const entrySchema =
          field.value === 'bytes'
            ? MAP_ENTRY_BYTES
            : field.value === 'quantity'
              ? MAP_ENTRY_QUANTITY
              : MAP_ENTRY_STRING;
        const entry = decode(bytes, entrySchema);
        const target = (out[field.name] ??= {}) as Record<string, unknown>;
        const quantity =
          field.value === 'quantity' ? (entry.v as { string?: string } | undefined)?.string : undefined;
        const value =
          quantity ??
          (field.value === 'quantity' ? '0' : (entry.v ?? (field.value === 'bytes' ? Buffer.alloc(0) : '')));
        target[String(entry.k ?? '')] = Buffer.isBuffer(value) ? value.toString('base64') : value;
        break;
      }
      case 'message': {
        const value = decode(bytes, field.schema);
        if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
        else out[field.name] = value;
        break;
      }
      case 'intOrString': {
        const v = decode(bytes, INT_OR_STRING);
        out[field.name] = v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
        break;
      }
      case 'strings':
        ((out[field.name] ??= []) as unknown[]).push(bytes.toString('utf8'));
        break;
      case 'bytes':
        out[field.name] = bytes;
        break;
      case 'string': {
        const text = bytes.toString('utf8');
        if (text !== '') out[field.name] = text;
        break;
      }
    }
  }
  return out;
}

/** A protobuf-encoded Kubernetes object as plain JSON, or a 415 for kinds it has no table for. */
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
  const raw = Buffer.isBuffer(unknown.raw) ? unknown.raw : Buffer.alloc(0);
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...decode(raw, schema) };
}
