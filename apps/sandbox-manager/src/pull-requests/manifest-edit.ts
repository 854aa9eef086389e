// The approved edit applied to the manifest in Git instead of the live object: the same edit
// function the dry run and the live write use (applyEdit in contracts), run on the object as the
// file declares it, and written back into the YAML node by node, so every comment, key order and
// every other document of the file stays as it was.
import { applyEdit, canonical, type EditAction, type EditableObject } from '@foxhound/contracts';
import { type Document, parseAllDocuments } from 'yaml';

export type ManifestEdit = { text: string; change: string } | { refusal: string };

interface Target {
  kind: string;
  namespace: string;
  name: string;
}

/** The file with the edit made, a refusal, or undefined when the file does not declare the object. */
export function editManifest(text: string, action: EditAction, target: Target): ManifestEdit | undefined {
  const docs = parseAllDocuments(text, { prettyErrors: false });
  if (!Array.isArray(docs)) return undefined; // an empty file
  for (const [index, doc] of docs.entries()) {
    if (doc.errors.length) continue;
    const object = doc.toJS() as EditableObject | null;
    if (!declares(object, target)) continue;
    const result = applyEdit(action, object!);
    if ('refusal' in result) return { refusal: result.refusal };
    syncNode(doc, [], object, result.object);
    // Replace only this document's text; the first one also owns the comments before it. Flow
    // collections keep the file's own padding: `{app: web}` stays unpadded, `{ app: web }` padded.
    const start = index === 0 ? 0 : doc.range[0];
    const own = text.slice(start, doc.range[2]);
    const flowCollectionPadding = /[[{] \S/.test(own) || !/[[{]\S/.test(own);
    return {
      text: text.slice(0, start) + doc.toString({ flowCollectionPadding }) + text.slice(doc.range[2]),
      change: result.change,
    };
  }
  return undefined;
}

function declares(object: EditableObject | null, target: Target): boolean {
  if (!object || typeof object !== 'object') return false;
  return (
    object.kind === target.kind &&
    object.metadata?.name === target.name &&
    // Argo CD and Flux fill in a missing namespace from their destination.
    (object.metadata.namespace === undefined || object.metadata.namespace === target.namespace)
  );
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Makes the YAML node at `path` say `after`, touching only the parts that differ from `before`. */
function syncNode(doc: Document, path: (string | number)[], before: unknown, after: unknown): void {
  if (canonical(before) === canonical(after)) return;
  if (isMap(before) && isMap(after)) {
    for (const key of Object.keys(before)) if (!(key in after)) doc.deleteIn([...path, key]);
    for (const [key, value] of Object.entries(after)) {
      if (key in before) syncNode(doc, [...path, key], before[key], value);
      else doc.setIn([...path, key], doc.createNode(value));
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    after.forEach((value, i) => syncNode(doc, [...path, i], before[i], value));
    return;
  }
  // A scalar keeps its node (and comment) when set as a plain value.
  doc.setIn(path, typeof after === 'object' && after !== null ? doc.createNode(after) : after);
}
