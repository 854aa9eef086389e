// One investigation: the report first, its actions with their live state, then the collapsed
// timeline (followed live while it runs), the thread's other turns and the follow-up box. The URL
// (#/investigations/<id>) is the shareable link.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type InvestigationDetail, type InvestigationPage, type StoredProposal } from '@foxhound/contracts';
import { followInvestigation, type StreamedEvent } from '../api/events';
import { ActionCard, IN_FLIGHT } from '../components/ActionCard';
import { Chip } from '../components/Chip';
import { ErrorNotice } from '../components/Notice';
import { Report } from '../components/Report';
import { StartInvestigation } from '../components/StartInvestigation';
import { Timeline } from '../components/Timeline';
import { ago, seconds, who } from '../components/format';
import { may, useSession } from '../state/context';
import { investigationHref } from '../state/route';
import { usePoll } from '../state/use-poll';

/** Bound on events kept in the page; older ones stay readable through the API. */
const MAX_EVENTS = 5000;

export function Investigation({ id }: { id: string }) {
  const { api, me } = useSession();
  const detail = usePoll(
    (signal) => api.request<InvestigationDetail>(`/v1/investigations/${encodeURIComponent(id)}`, { signal }),
    0,
    id,
  );
  const inv = detail.data;
  const running = inv?.status === 'running';
  const actions = usePoll(
    (signal) =>
      api
        .request<{ items: StoredProposal[] }>(`/v1/actions?investigationId=${encodeURIComponent(id)}`, {
          signal,
        })
        .then((r) => r.items),
    0,
    id,
  );
  const inFlight = running || (actions.data ?? []).some((a) => IN_FLIGHT.includes(a.state));
  // Action states change after the turn ended (approvals), so they are re-read while any is moving.
  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(actions.reload, 2000);
    return () => clearInterval(timer);
  }, [inFlight, actions.reload]);

  const [events, setEvents] = useState<StreamedEvent[]>([]);
  const [streamError, setStreamError] = useState<string | undefined>();
  const [live, setLive] = useState(false);
  const reloadDetail = detail.reload;
  const reloadActions = actions.reload;
  const statusKnown = inv !== undefined;
  useEffect(() => {
    if (!statusKnown) return;
    setEvents([]);
    setLive(true);
    const stop = followInvestigation(id, {
      credential: api.credential,
      maxRetries: running ? 5 : 0,
      onEvent: (e) => {
        setEvents((list) => (list.length >= MAX_EVENTS ? list : [...list, e]));
        if (e.event.type === 'proposal' || e.event.type === 'action_update') reloadActions();
        if (e.event.type === 'result' || e.event.type === 'error') {
          reloadDetail();
          reloadActions();
        }
      },
      onEnd: (error) => {
        setLive(false);
        setStreamError(error);
      },
    });
    return stop;
    // Follow once per investigation; a status change does not restart the stream.
  }, [id, statusKnown, api]);

  if (detail.error && !inv) return <ErrorNotice error={detail.error} />;
  if (!inv) return <p role="status">Loading investigation…</p>;

  return (
    <article class="investigation" aria-labelledby="inv-title">
      <p class="crumbs">
        <a href="#/investigations">← Investigations</a>
      </p>
      <header class="page-head">
        <h1 id="inv-title">{inv.title}</h1>
        <Chip state={inv.healthy ? 'healthy' : inv.status} label={inv.status} />
      </header>
      <p class="meta dim">
        {who(inv.principal)} · started <time dateTime={inv.createdAt}>{ago(inv.createdAt)}</time>
        {inv.durationMs !== undefined && ` · took ${seconds(inv.durationMs)}`}
        {inv.provider && ` · ${inv.provider}`}
        {inv.usage && inv.usage.modelCalls > 0 && ` · $${inv.usage.costUsd.toFixed(4)}`} · thread{' '}
        <code>{inv.threadId}</code> · <ShareLink id={id} />
      </p>
      <ErrorNotice error={detail.error} />
      {inv.alert && (
        <section class="card alert" aria-label="Alert">
          <p>
            <Chip state={`severity-${inv.alert.severity}`} label={inv.alert.severity} />{' '}
            <strong>{inv.alert.title}</strong>
            {inv.alert.namespace && <span class="dim"> · {inv.alert.namespace}</span>}
            {inv.alert.service && <span class="dim"> · {inv.alert.service}</span>}
          </p>
          {inv.alert.description && <p class="small">{inv.alert.description}</p>}
        </section>
      )}
      {inv.report ? (
        <Report report={inv.report} />
      ) : running ? (
        <p class="card" role="status">
          Investigating… the report appears here when it concludes; the timeline below is live.
        </p>
      ) : (
        <p class="card">{inv.error?.message ?? inv.resultText ?? 'No report.'}</p>
      )}
      <section aria-labelledby="actions-title">
        <h2 id="actions-title">Proposed actions</h2>
        <p class="dim small">Nothing in the cluster changes until an approver approves.</p>
        <ErrorNotice error={actions.error} />
        {(actions.data ?? []).length === 0 ? (
          <p class="empty">No actions proposed.</p>
        ) : (
          (actions.data ?? []).map((a) => (
            <ActionCard key={a.proposal.id} stored={a} onChanged={actions.reload} />
          ))
        )}
      </section>
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline {live && running && <span class="live">live</span>}</h2>
        <ErrorNotice error={streamError} />
        <Timeline events={events} />
      </section>
      <Thread threadId={inv.threadId} current={id} />
      {may(me, 'investigations:write') && !running && <StartInvestigation threadId={inv.threadId} />}
      <details class="prompt">
        <summary>Prompt</summary>
        <pre>{inv.prompt}</pre>
      </details>
    </article>
  );
}

function ShareLink({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  const url = `${location.origin}/console/${investigationHref(id)}`;
  const copy = useCallback(() => {
    navigator.clipboard?.writeText(url).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }, [url]);
  return (
    <>
      <a href={investigationHref(id)}>link</a>{' '}
      <button type="button" class="link" onClick={copy} aria-live="polite">
        {copied ? 'copied' : 'copy link'}
      </button>
    </>
  );
}

function Thread({ threadId, current }: { threadId: string; current: string }) {
  const { api } = useSession();
  const turns = usePoll(
    (signal) =>
      api.request<InvestigationPage>(`/v1/investigations?threadId=${encodeURIComponent(threadId)}&limit=50`, {
        signal,
      }),
    0,
    threadId,
  );
  const items = turns.data?.items ?? [];
  if (items.length < 2) return null;
  return (
    <section aria-labelledby="thread-title">
      <h2 id="thread-title">This thread ({items.length} turns)</h2>
      <ol class="thread">
        {[...items].reverse().map((t) => (
          <li key={t.id}>
            {t.id === current ? (
              <strong aria-current="page">{t.title}</strong>
            ) : (
              <a href={investigationHref(t.id)}>{t.title}</a>
            )}{' '}
            <Chip state={t.status} />
          </li>
        ))}
      </ol>
    </section>
  );
}
