// Parameter schemas shared by the Kubernetes tools, validated before any value reaches an API path.
import { NamespaceSchema, ObjectNameSchema } from '@foxhound/contracts';
import { z } from 'zod';
import { KIND_NAMES, resolveKind } from '../../cluster/kinds';
import { parseSelector } from '../../cluster/selectors';

export const kindParam = z
  .string()
  .min(1)
  .max(64)
  .refine((k) => resolveKind(k) !== undefined, {
    message: `unknown kind; one of ${KIND_NAMES.join(', ')} (Secrets are not readable)`,
  })
  .describe(
    `The object kind: ${KIND_NAMES.join(', ')}. Short names (deploy, svc, po, rs, cm, pvc, hpa) work too.`,
  );

export const namespaceParam = NamespaceSchema.describe(
  'The namespace, as kubectl_get kind=Namespace lists them.',
);
export const nameParam = ObjectNameSchema.describe('The object name, exactly as kubectl_get lists it.');

export const labelSelectorParam = z
  .string()
  .max(500)
  .refine((s) => parseSelector(s) !== undefined, {
    message: 'not a valid label selector (e.g. app=web,tier!=db)',
  })
  .describe('A label selector such as app=checkout or tier in (web,api).');
