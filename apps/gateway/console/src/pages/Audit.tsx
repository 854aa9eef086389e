// The audit trail: filters (kind, actor, action, investigation, time) in the URL, newest first with
// cursor paging, and the hash chain's verification result on demand.
import { useState } from 'preact/hooks';
import { type AuditPage, type AuditVerifyResult } from '@foxhound/contracts';
import { ErrorNotice } from '../components/Notice';
import { Pager } from '../components/Pager';
import { localTime } from '../components/format';
import { useSession } from '../state/context';
import { hrefWith, investigationHref } from '../state/route';
import { usePoll } from '../state/use-poll';

const FIELDS = ['kind', 'actor', 'action', 'investigationId', 'after'] as const;

export function Audit({ query }: { query: URLSearchParams }) {
  const { api } = useSession();
  const filters = Object.fromEntries(FIELDS.map((f) => [f, query.get(f) ?? ''])) as Record<
    (typeof FIELDS)[number],
    string
  >;
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const key = `${query.toString()}|${cursor ?? ''}`;
  const page = usePoll(
    (signal) => {
      const params = new URLSearchParams({ limit: '50' });
      for (const f of FIELDS) {
        if (!filters[f]) continue;
        params.set(f, f === 'after' ? new Date(filters[f]).toISOString() : filters[f]);
      }
      if (cursor) params.set('cursor', cursor);
      return api.request<AuditPage>(`/v1/audit?${params}`, { signal });
    },
    0,
    key,
  );
  const [verify, setVerify] = useState<{ result?: AuditVerifyResult; error?: string; busy?: boolean }>({});

  const runVerify = async () => {
    setVerify({ busy: true });
    try {
      setVerify({ result: await api.request<AuditVerifyResult>('/v1/audit/verify') });
    } catch (err) {
      setVerify({ error: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <div class="page-head">
        <h1 id="audit-title">Audit trail</h1>
        <button type="button" class="secondary" onClick={runVerify} disabled={verify.busy}>
          {verify.busy ? 'Verifying…' : 'Verify the chain'}
        </button>
      </div>
      <div aria-live="polite">
        {verify.result &&
          (verify.result.ok ? (
            <p class="notice notice-ok" role="status">
              Chain intact: {verify.result.checked} entries checked, head #{verify.result.head.seq}{' '}
              <code>{verify.result.head.hash.slice(0, 16)}…</code>
            </p>
          ) : (
            <p class="notice notice-error" role="alert">
              Chain broken at entry #{verify.result.broken?.seq} ({verify.result.broken?.reason}):{' '}
              {verify.result.broken?.detail}
            </p>
          ))}
        <ErrorNotice error={verify.error} />
      </div>
      <form
        class="filters"
        aria-label="Filter the audit trail"
        onSubmit={(e) => {
          e.preventDefault();
          setCursors([]);
          const data = new FormData(e.target as HTMLFormElement);
          location.hash = hrefWith(
            'audit',
            Object.fromEntries(FIELDS.map((f) => [f, String(data.get(f) ?? '').trim()])),
          );
        }}
      >
        <label>
          Kind
          <select name="kind" defaultValue={filters.kind}>
            <option value="">any</option>
            {['request', 'tool_call', 'decision', 'transition', 'system'].map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Actor
          <input name="actor" defaultValue={filters.actor} placeholder="key:…" maxLength={200} />
        </label>
        <label>
          Action
          <input
            name="action"
            defaultValue={filters.action}
            placeholder="proposal.approved"
            maxLength={200}
          />
        </label>
        <label>
          Investigation
          <input name="investigationId" defaultValue={filters.investigationId} maxLength={100} />
        </label>
        <label>
          After
          <input name="after" type="datetime-local" defaultValue={filters.after} />
        </label>
        <button type="submit">Apply</button>
        <a class="button secondary" href="#/audit">
          Clear
        </a>
      </form>
      <ErrorNotice error={page.error} />
      {page.data && page.data.items.length === 0 && <p class="empty">No entries match.</p>}
      {page.data && page.data.items.length > 0 && (
        <table class="rows audit">
          <caption class="sr-only">Audit entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {page.data.items.map((e) => (
              <tr key={e.seq}>
                <td class="dim">{e.seq}</td>
                <td class="dim">{localTime(e.at)}</td>
                <td>
                  {e.actor}
                  {e.actorRole && <span class="dim"> ({e.actorRole})</span>}
                </td>
                <td>
                  <span class="tag">{e.kind}</span> {e.action}
                </td>
                <td>
                  <span class={`chip chip-${e.outcome}`}>{e.outcome}</span>
                </td>
                <td>
                  {e.investigationId ? (
                    <a href={investigationHref(e.investigationId)}>{e.investigationId}</a>
                  ) : null}
                  {e.target && <span class="dim"> {e.target}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager cursors={cursors} nextCursor={page.data?.nextCursor} onChange={setCursors} />
    </section>
  );
}
