// The upstream CustomResourceDefinitions kept in ./crds (sources and versions in crds/SOURCES.md) as
// validators for rendered custom resources. A CRD's openAPIV3Schema is a structural schema: the API
// server prunes fields it does not declare instead of refusing them, so a misspelled field would
// vanish silently. Here an undeclared field is an error: every object schema that lists its
// properties gets `additionalProperties: false`, unless it says x-kubernetes-preserve-unknown-fields.
// CEL rules (x-kubernetes-validations) are not evaluated.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;

/** CRD patterns are Go (RE2) expressions; the one RE2 form JavaScript lacks here is a leading (?i). */
function goRegExp(pattern: string, flags: string): RegExp {
  const caseless = /^(\^?)\(\?i\)/.exec(pattern);
  if (!caseless) return new RegExp(pattern, flags);
  return new RegExp(caseless[1] + pattern.slice(caseless[0].length), `${flags}i`);
}
goRegExp.code = 'goRegExp';
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { regExp: goRegExp } });

export const crdDir = path.join(__dirname, 'crds');

/** Makes a structural schema refuse undeclared fields, and int-or-string a JSON Schema union. */
export function closeSchema(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.properties && typeof out.properties === 'object') {
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, Schema>).map(([key, value]) => [
        key,
        closeSchema(value),
      ]),
    );
    if (out.additionalProperties === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
  }
  if (out.items && typeof out.items === 'object') out.items = closeSchema(out.items as Schema);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = closeSchema(out.additionalProperties as Schema);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(out[key])) out[key] = (out[key] as Schema[]).map(closeSchema);
  }
  return out;
}

interface Crd {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema: Schema } }>;
  };
}

/** `group/version/Kind` → validator, for every served version of every CRD in ./crds. */
export function loadCrdValidators(): Map<string, ValidateFunction> {
  const validators = new Map<string, ValidateFunction>();
  for (const file of readdirSync(crdDir).filter((name) => name.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(path.join(crdDir, file), 'utf8'))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const version of crd.spec.versions) {
        if (!version.served || !version.schema) continue;
        const schema = closeSchema(version.schema.openAPIV3Schema);
        // metadata is the API server's ObjectMeta, checked elsewhere; the CRD declares it as a bare object.
        (schema.properties as Record<string, Schema>).metadata = { type: 'object' };
        validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(schema));
      }
    }
  }
  return validators;
}

/** The validation errors of one object, as `path: message` lines (empty when valid). */
export function crdErrors(validate: ValidateFunction, object: unknown): string[] {
  if (validate(object)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra = error.params?.additionalProperty ? ` (${String(error.params.additionalProperty)})` : '';
    return `${error.instancePath || '/'}: ${error.message ?? 'invalid'}${extra}`;
  });
}
