// The Git host token, read when a pull request is opened from the one Secret the operator names
// (the manager's identity may get exactly that Secret, nothing else), and never logged or stored.
import { type KubeClient } from '@foxhound/kube';
import { getOrUndefined } from '../actions/target';

export interface SecretKeyRef {
  namespace: string;
  name: string;
  key: string;
}

const MAX_TOKEN_CHARS = 4096;

export async function readToken(
  client: KubeClient,
  ref: SecretKeyRef,
): Promise<string | { refusal: string }> {
  const where = `Secret ${ref.namespace}/${ref.name}`;
  const secret = await getOrUndefined<{ data?: Record<string, string> }>(
    client,
    `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/secrets/${encodeURIComponent(ref.name)}`,
  );
  if (!secret) return { refusal: `${where}, which should hold the Git host token, does not exist.` };
  const encoded = secret.data?.[ref.key];
  if (!encoded) return { refusal: `${where} has no key ${ref.key}.` };
  const token = Buffer.from(encoded, 'base64').toString('utf8').trim();
  if (!token || token.length > MAX_TOKEN_CHARS || /\s/.test(token))
    return {
      refusal: `${where} key ${ref.key} does not hold a token (one line, at most ${MAX_TOKEN_CHARS} characters).`,
    };
  return token;
}
