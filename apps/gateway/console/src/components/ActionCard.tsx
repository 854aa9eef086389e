// One remediation action: what it changes, why (evidence), risk, expected effect, the exact rollback,
// its live state with history, and the decisions the signed-in role may take on it. A refusal from the
// gateway (self-approval, a still-running investigation, a GitOps-managed target) is shown in words.
import { useState } from 'preact/hooks';
import { type StoredProposal } from '@foxhound/contracts';
import { ApiError } from '../api/client';
import { may, useSession } from '../state/context';
import { investigationHref } from '../state/route';
import { Chip } from './Chip';
import { ErrorNotice } from './Notice';
import { localTime, refText, who } from './format';

/** States in which the gateway accepts a rollback request (action-service.ts ROLLBACK_FROM). */
const ROLLBACK_FROM = ['applied', 'recovered', 'failed'];
export const IN_FLIGHT = ['approved', 'applying', 'applied'];

type Verb = 'approve' | 'reject' | 'rollback';

function explain(err: unknown, verb: Verb, selfApproval: boolean): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.status === 403 && verb === 'approve' && /may not approve/.test(err.message) && !selfApproval) {
    return `${err.message} Separation of duties: whoever started an investigation (or asked for a rollback) cannot approve its fixes, so a second person checks every change. Ask another approver, or run the gateway with GATEWAY_ALLOW_SELF_APPROVAL=true for a single-operator setup (audited).`;
  }
  if (err.status === 403) return `${err.message} Your role cannot ${verb} actions.`;
  return err.message;
}

export function ActionCard({
  stored,
  onChanged,
  showInvestigation,
}: {
  stored: StoredProposal;
  onChanged(): void;
  showInvestigation?: boolean;
}) {
  const { api, me } = useSession();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState<Verb | undefined>();
  const [livePatch, setLivePatch] = useState(false);
  const { proposal, state } = stored;
  // Argo CD and Flux put a live patch back at their next sync: the gateway wants that choice made explicitly.
  const reconciler =
    proposal.lane?.managedBy && proposal.lane.managedBy.tool !== 'Helm' ? proposal.lane.managedBy : undefined;
  const canDecide = may(me, 'actions:decide');
  const id = proposal.id;
  const target = `${proposal.action.type} ${proposal.action.namespace}/${proposal.action.name}`;

  const act = async (verb: Verb) => {
    if (!reason.trim()) return setError(`Give a reason to ${verb}; it is kept in the audit trail.`);
    setBusy(verb);
    setError(undefined);
    try {
      await api.request(`/v1/actions/${encodeURIComponent(id)}/${verb}`, {
        method: 'POST',
        body: {
          reason: reason.trim(),
          ...(verb === 'approve' && livePatch ? { livePatchOnGitOps: true } : {}),
        },
      });
      setReason('');
      onChanged();
    } catch (err) {
      setError(explain(err, verb, me.selfApproval));
    } finally {
      setBusy(undefined);
    }
  };

  const decidable = canDecide && (state === 'proposed' || ROLLBACK_FROM.includes(state));
  return (
    <article class={`card action state-${state}`} aria-labelledby={`action-${id}`} data-action-id={id}>
      <header class="action-head">
        <h3 id={`action-${id}`}>
          {proposal.rollbackOf && <span class="tag">rollback</span>} {target}
        </h3>
        <Chip state={`risk-${proposal.risk}`} label={`risk ${proposal.risk}`} />
        <Chip state={state} />
      </header>
      <p>{proposal.summary}</p>
      {showInvestigation && (
        <p class="small">
          From <a href={investigationHref(stored.investigationId)}>investigation {stored.investigationId}</a>
        </p>
      )}
      <dl class="facts">
        <dt>Expected effect</dt>
        <dd>{proposal.expectedEffect}</dd>
        <dt>Rollback</dt>
        <dd>{proposal.rollback.description}</dd>
        {proposal.dryRun && (
          <>
            <dt>Dry run</dt>
            <dd>
              {proposal.dryRun.ok ? 'accepted by the cluster' : `refused: ${proposal.dryRun.message ?? ''}`}
            </dd>
          </>
        )}
        {proposal.lane && (
          <>
            <dt>Lane</dt>
            <dd>
              {proposal.lane.lane === 'live-patch' ? 'live patch' : 'pull request'}: {proposal.lane.reason}
            </dd>
          </>
        )}
        {stored.expiresAt && state === 'proposed' && (
          <>
            <dt>Expires</dt>
            <dd>{localTime(stored.expiresAt)}</dd>
          </>
        )}
      </dl>
      {proposal.evidence.length > 0 && (
        <details>
          <summary>Evidence ({proposal.evidence.length})</summary>
          <ul class="evidence">
            {proposal.evidence.map((e, i) => (
              <li key={i}>
                <span class="dim">
                  {e.source}
                  {e.ref ? ` · ${refText(e.ref)}` : ''}
                </span>
                <blockquote>{e.excerpt}</blockquote>
              </li>
            ))}
          </ul>
        </details>
      )}
      <details>
        <summary>History ({stored.history.length})</summary>
        <ol class="history">
          {stored.history.map((h, i) => (
            <li key={i}>
              <Chip state={h.to} /> {who(h.actor)} · {localTime(h.at)}
              {h.reason && <span class="dim"> · {h.reason}</span>}
            </li>
          ))}
        </ol>
      </details>
      {decidable && (
        <div class="decide">
          <label for={`reason-${id}`}>Reason (kept in the audit trail)</label>
          <textarea
            id={`reason-${id}`}
            rows={2}
            maxLength={2000}
            value={reason}
            onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)}
          />
          {state === 'proposed' && reconciler && (
            <label class="check">
              <input
                type="checkbox"
                checked={livePatch}
                onChange={(e) => setLivePatch((e.target as HTMLInputElement).checked)}
              />{' '}
              Patch the live object anyway: {reconciler.tool} ({reconciler.owner}) will put it back at its
              next sync unless the change also lands in Git.
            </label>
          )}
          <div class="row">
            {state === 'proposed' ? (
              <>
                <button type="button" disabled={Boolean(busy)} onClick={() => act('approve')}>
                  {busy === 'approve' ? 'Approving…' : 'Approve'}
                </button>
                <button type="button" class="danger" disabled={Boolean(busy)} onClick={() => act('reject')}>
                  {busy === 'reject' ? 'Rejecting…' : 'Reject'}
                </button>
              </>
            ) : (
              <button
                type="button"
                class="secondary"
                disabled={Boolean(busy)}
                onClick={() => act('rollback')}
              >
                {busy === 'rollback' ? 'Requesting…' : 'Roll back'}
              </button>
            )}
          </div>
        </div>
      )}
      <ErrorNotice error={error} />
    </article>
  );
}
