// The patch types the API server accepts, by Content-Type, and the one entry point the store uses.
import { type ResourceType } from '../api/resources';
import { errors } from '../api/status';
import { applyJsonPatch } from './json-patch';
import { applyMergePatch } from './merge-patch';
import { applyStrategicMergePatch } from './strategic-merge';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export function acceptedPatchTypes(r: ResourceType): string[] {
  return Object.keys(PATCH_CONTENT_TYPES).filter(
    (t) => !t.endsWith('+cbor') && (r.strategicMerge || PATCH_CONTENT_TYPES[t] !== 'strategic'),
  );
}

/** Applies a patch of `type` to `current`; strategic merge on a custom resource is a 415. */
export function applyPatch(r: ResourceType, type: PatchType, current: unknown, patch: unknown): unknown {
  switch (type) {
    case 'json':
      return applyJsonPatch(current, patch);
    case 'merge':
      return applyMergePatch(current, patch);
    case 'strategic':
    case 'apply':
      if (!r.strategicMerge) {
        if (type === 'strategic') throw errors.unsupportedMediaType(acceptedPatchTypes(r));
        return applyMergePatch(current, patch);
      }
      return applyStrategicMergePatch(current, patch);
  }
}

export { applyJsonPatch, applyMergePatch, applyStrategicMergePatch };
