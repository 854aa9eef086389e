// Investigations: compact rows (status, title, one-line cause, who, age), filters and search kept in
// the URL, cursor pagination, a start box for investigators, and the list refreshed live.
import { useState } from 'preact/hooks';
import { type InvestigationPage } from '@foxhound/contracts';
import { Chip } from '../components/Chip';
import { ErrorNotice } from '../components/Notice';
import { Pager } from '../components/Pager';
import { StartInvestigation } from '../components/StartInvestigation';
import { ago, who } from '../components/format';
import { may, useSession } from '../state/context';
import { hrefWith, investigationHref } from '../state/route';
import { usePoll } from '../state/use-poll';

const PAGE_SIZE = 25;
/**
 * How often the list is re-read while visible: the list has no stream of its own. 12 reads a minute
 * leave most of a credential's default 60 for the rest of the console.
 */
export const LIST_REFRESH_MS = 5000;
const SINCE: Record<string, number> = { '1h': 3600e3, '24h': 86400e3, '7d': 7 * 86400e3 };

export function Investigations({ query }: { query: URLSearchParams }) {
  const { api, me } = useSession();
  const filters = {
    status: query.get('status') ?? '',
    source: query.get('source') ?? '',
    principal: query.get('principal') ?? '',
    since: query.get('since') ?? '',
    q: query.get('q') ?? '',
  };
  // Cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const filterKey = JSON.stringify(filters);
  const [lastKey, setLastKey] = useState(filterKey);
  if (lastKey !== filterKey) {
    setLastKey(filterKey);
    setCursors([]);
  }

  const list = usePoll(
    (signal) => {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      for (const name of ['status', 'source', 'principal', 'q'] as const)
        if (filters[name]) params.set(name, filters[name]);
      const window = SINCE[filters.since];
      if (window) params.set('createdAfter', new Date(Date.now() - window).toISOString());
      if (cursor) params.set('cursor', cursor);
      return api.request<InvestigationPage>(`/v1/investigations?${params}`, { signal });
    },
    LIST_REFRESH_MS,
    `${filterKey}|${cursor ?? ''}`,
  );

  const apply = (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    location.hash = hrefWith(
      'investigations',
      Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v).trim()])),
    );
  };

  return (
    <section aria-labelledby="inv-title">
      <div class="page-head">
        <h1 id="inv-title">Investigations</h1>
      </div>
      {may(me, 'investigations:write') && <StartInvestigation />}
      <form class="filters" role="search" aria-label="Filter investigations" onSubmit={apply}>
        <label>
          Search
          <input
            name="q"
            type="search"
            defaultValue={filters.q}
            placeholder="title or root cause"
            maxLength={200}
          />
        </label>
        <label>
          Status
          <select name="status" defaultValue={filters.status}>
            <option value="">any</option>
            {['running', 'completed', 'failed', 'interrupted'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Source
          <select name="source" defaultValue={filters.source}>
            <option value="">any</option>
            <option value="api">person (API)</option>
            <option value="alertmanager">Alertmanager</option>
            <option value="webhook">webhook</option>
          </select>
        </label>
        <label>
          Who
          <input
            name="principal"
            defaultValue={filters.principal}
            placeholder="key:… or user:…"
            maxLength={200}
          />
        </label>
        <label>
          Started
          <select name="since" defaultValue={filters.since}>
            <option value="">any time</option>
            <option value="1h">last hour</option>
            <option value="24h">last 24 hours</option>
            <option value="7d">last 7 days</option>
          </select>
        </label>
        <button type="submit">Apply</button>
        <a class="button secondary" href="#/investigations">
          Clear
        </a>
      </form>
      <ErrorNotice error={list.error} />
      {list.loading && !list.data ? (
        <p class="dim" role="status">
          Loading…
        </p>
      ) : (
        <InvestigationTable page={list.data} />
      )}
      <Pager cursors={cursors} nextCursor={list.data?.nextCursor} onChange={setCursors} />
    </section>
  );
}

function InvestigationTable({ page }: { page?: InvestigationPage }) {
  if (!page?.items.length) return <p class="empty">No investigations match.</p>;
  return (
    <table class="rows investigations">
      <caption class="sr-only">Investigations, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Investigation</th>
          <th scope="col">Who</th>
          <th scope="col">Started</th>
        </tr>
      </thead>
      <tbody>
        {page.items.map((inv) => (
          <tr key={inv.id} data-id={inv.id}>
            <td>
              <Chip state={inv.healthy ? 'healthy' : inv.status} label={inv.status} />
            </td>
            <td class="main-cell">
              <a href={investigationHref(inv.id)} class="title">
                {inv.title}
              </a>
              <span class="cause" title={inv.rootCause}>
                {inv.rootCause ?? (inv.status === 'running' ? 'investigating…' : 'no root cause')}
              </span>
            </td>
            <td class="dim">
              {who(inv.principal)}
              {inv.source !== 'api' && <span class="tag">{inv.source}</span>}
            </td>
            <td class="dim">
              <time dateTime={inv.createdAt} title={new Date(inv.createdAt).toLocaleString()}>
                {ago(inv.createdAt)}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
