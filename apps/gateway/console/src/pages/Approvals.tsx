// The approvals inbox: pending actions first (evidence, risk, expected effect, exact rollback), with
// approve/reject and a reason; then recent decided ones, whose state follows live until it settles,
// with rollback for applied ones.
import { useState } from 'preact/hooks';
import { type StoredProposal } from '@foxhound/contracts';
import { ActionCard, IN_FLIGHT } from '../components/ActionCard';
import { ErrorNotice } from '../components/Notice';
import { may, useSession } from '../state/context';
import { hrefWith } from '../state/route';
import { usePoll } from '../state/use-poll';

const STATES = ['proposed', 'approved', 'applying', 'applied', 'recovered', 'failed', 'rejected', 'expired'];
/** Re-read quickly while an action is moving (approved → applying → applied → recovered), else slowly. */
const MOVING_REFRESH_MS = 2000;
const IDLE_REFRESH_MS = 10_000;

export function Approvals({ query }: { query: URLSearchParams }) {
  const { api, me } = useSession();
  const state = query.get('state') ?? '';
  const [moving, setMoving] = useState(false);
  const actions = usePoll(
    (signal) =>
      api
        .request<{ items: StoredProposal[] }>(`/v1/actions?limit=100${state ? `&state=${state}` : ''}`, {
          signal,
        })
        .then((r) => r.items),
    moving ? MOVING_REFRESH_MS : IDLE_REFRESH_MS,
    state,
  );
  const items = actions.data ?? [];
  const pending = items.filter((a) => a.state === 'proposed');
  const inFlight = items.filter((a) => IN_FLIGHT.includes(a.state));
  if (moving !== inFlight.length > 0) setMoving(inFlight.length > 0);
  const settled = items.filter((a) => a.state !== 'proposed' && !IN_FLIGHT.includes(a.state));

  return (
    <section aria-labelledby="approvals-title">
      <div class="page-head">
        <h1 id="approvals-title">Approvals</h1>
        <form
          class="filters inline"
          aria-label="Filter actions"
          onSubmit={(e) => {
            e.preventDefault();
            const value = new FormData(e.target as HTMLFormElement).get('state');
            location.hash = hrefWith('approvals', { state: String(value ?? '') });
          }}
        >
          <label>
            State
            <select name="state" defaultValue={state}>
              <option value="">all</option>
              {STATES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <button type="submit" class="secondary">
            Show
          </button>
        </form>
      </div>
      {!may(me, 'actions:decide') && (
        <p class="notice">Your role ({me.role}) can read actions but not decide them.</p>
      )}
      {may(me, 'actions:decide') && !me.selfApproval && (
        <p class="dim small">
          Separation of duties is on: you cannot approve actions of investigations you started, nor rollbacks
          you asked for.
        </p>
      )}
      <ErrorNotice error={actions.error} />
      {actions.loading && !actions.data && <p role="status">Loading…</p>}
      <Group
        title={`Waiting for a decision (${pending.length})`}
        items={pending}
        onChanged={actions.reload}
      />
      <Group title={`In progress (${inFlight.length})`} items={inFlight} onChanged={actions.reload} />
      <Group title={`Decided (${settled.length})`} items={settled} onChanged={actions.reload} />
    </section>
  );
}

function Group({ title, items, onChanged }: { title: string; items: StoredProposal[]; onChanged(): void }) {
  if (!items.length) return null;
  return (
    <section>
      <h2>{title}</h2>
      {items.map((a) => (
        <ActionCard key={a.proposal.id} stored={a} onChanged={onChanged} showInvestigation />
      ))}
    </section>
  );
}
