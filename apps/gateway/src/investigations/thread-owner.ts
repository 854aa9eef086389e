// Who owns a thread: the principal that started its latest turn, as stored with that investigation.
// Ownership outlives any sandbox: a follow-up by anyone else is refused (403) whether the thread's
// sandbox is live, released or gone, except an admin's explicit takeover, which is audited and then
// makes the admin the owner (the admin's turn is now the latest).
import { NotAllowedError } from '@foxhound/service-kit';
import { type Principal } from '../auth/principal';
import { type AuditPort, type InvestigationsPort } from './ports';

export interface ThreadClaim {
  threadId: string;
  principal: Principal;
  takeover?: boolean;
  requestId?: string;
}

export interface ThreadAccess {
  /** Set when an admin took the thread over: the previous owner's sandbox, to release. */
  takenOverSandboxId?: string;
  tookOver: boolean;
}

export async function threadOwner(
  investigations: Pick<InvestigationsPort, 'list'>,
  threadId: string,
): Promise<{ owner?: string; sandboxId?: string } | undefined> {
  const latest = (await investigations.list({ threadId, limit: 1 })).items[0];
  return latest ? { owner: latest.principal, sandboxId: latest.sandboxId } : undefined;
}

/** Allows the thread's owner (or anyone on a new thread); refuses everyone else unless an admin takes over. */
export async function claimThread(
  deps: { investigations: Pick<InvestigationsPort, 'list'>; audit: Pick<AuditPort, 'append'> },
  claim: ThreadClaim,
): Promise<ThreadAccess> {
  const { threadId, principal, takeover, requestId } = claim;
  const current = await threadOwner(deps.investigations, threadId);
  if (!current?.owner || current.owner === principal.id) return { tookOver: false };
  const audit = (outcome: 'success' | 'denied') =>
    deps.audit.append({
      kind: 'decision',
      actor: principal.id,
      actorRole: principal.role,
      action: 'thread.takeover',
      outcome,
      target: `thread/${threadId}`,
      requestId,
      details: { owner: current.owner, requested: takeover === true },
    });
  if (takeover === true && principal.role === 'admin') {
    await audit('success');
    return { tookOver: true, takenOverSandboxId: current.sandboxId };
  }
  await audit('denied');
  throw new NotAllowedError(
    `Thread ${threadId} belongs to another principal.${
      principal.role === 'admin' ? ' Send "takeover": true to continue it as yours (audited).' : ''
    }`,
  );
}
