// Credentials a running container read once at start and still sends after they were rotated. A
// container gets env vars (and envFrom) when it starts and never again, so a Secret updated under
// it (a rotation by hand, by external-secrets or by a database operator) reaches it only through a
// restart. The signs: the Secret itself was written after the container started (an operator
// regenerating it, a rotation), or the log shows the same process authenticating for a while
// before its dependency began to reject it, long after it started.
import { type ObjectRef } from '@foxhound/contracts';
import { type Lookup } from '../lookup';
import { type Container, type Pod } from '../snapshot';
import { formatAge, toMillis } from '../util/time';
import { lastModified } from './changes';

/** A container this long in service before the rejections is past any startup misconfiguration. */
export const SETTLED_MS = 60 * 60 * 1000;

export interface StaleCredentials {
  /** The Secret whose values the container holds from its start. */
  secret: ObjectRef;
  why: string;
}

/** Secrets a container reads through env or envFrom (fixed for its lifetime). */
function envSecrets(c: Container): string[] {
  const names = new Set<string>();
  for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef?.name) names.add(e.valueFrom.secretKeyRef.name);
  for (const f of c.envFrom ?? []) if (f.secretRef?.name) names.add(f.secretRef.name);
  return [...names];
}

/**
 * The Secret a container probably holds a stale copy of, when its dependency began rejecting its
 * credentials (`rejectedSince`) well after the container started, and the log shows it working
 * before that (`workedAt`, an earlier non-error event). Undefined when any of that is unknown.
 */
export function staleCredentials(
  l: Lookup,
  pod: Pod,
  c: Container,
  rejectedSince: number | undefined,
  workedAt: number | undefined,
): StaleCredentials | undefined {
  const status = pod.status?.containerStatuses?.find((s) => s.name === c.name);
  const started = toMillis(status?.state?.running?.startedAt);
  const namespace = pod.metadata.namespace ?? 'default';
  const names = envSecrets(c);
  if (started === undefined || !names.length) return undefined;
  const holds = (name: string) =>
    `it holds Secret ${namespace}/${name} as it was at its start (env vars are read once), so a rotation since reaches it only through a restart`;
  // The Secret written after the container read it: what the container sends is not what it holds.
  for (const name of names) {
    const secret = l.get('secrets', namespace, name);
    const written = secret && toMillis(lastModified(secret));
    if (written !== undefined && written > started)
      return {
        secret: { kind: 'Secret', namespace, name },
        why: `Secret ${namespace}/${name} was written ${formatAge(l.now - written)} ago, after container ${c.name} started ${formatAge(l.now - started)} ago, and its credentials are rejected: ${holds(name)}`,
      };
  }
  if (rejectedSince === undefined || workedAt === undefined) return undefined;
  if (workedAt >= rejectedSince || rejectedSince - started < SETTLED_MS) return undefined;
  const hours = Math.round((rejectedSince - started) / 3_600_000);
  return {
    secret: { kind: 'Secret', namespace, name: names[0] },
    why: `container ${c.name} authenticated for ${hours < 48 ? `${hours}h` : `${Math.round(hours / 24)} days`} after it started, then its credentials were rejected: ${holds(names[0])}`,
  };
}
