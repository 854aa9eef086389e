// API keys (admin): create one (its secret is shown once, here, and never again), list, revoke.
import { useState } from 'preact/hooks';
import { type ApiKeyInfo, type CreatedApiKey } from '@foxhound/contracts';
import { ErrorNotice } from '../components/Notice';
import { ago, localTime } from '../components/format';
import { useSession } from '../state/context';
import { usePoll } from '../state/use-poll';

const ROLES = ['viewer', 'investigator', 'approver', 'admin'];

export function Keys() {
  const { api } = useSession();
  const [showRevoked, setShowRevoked] = useState(false);
  const keys = usePoll(
    (signal) =>
      api
        .request<{ items: ApiKeyInfo[] }>(`/v1/keys${showRevoked ? '?includeRevoked=true' : ''}`, { signal })
        .then((r) => r.items),
    0,
    String(showRevoked),
  );
  const [created, setCreated] = useState<CreatedApiKey | undefined>();
  const [error, setError] = useState<string | undefined>();

  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get('name') ?? '').trim();
    if (!name) return setError('Name the key after who or what uses it.');
    setError(undefined);
    try {
      setCreated(
        await api.request<CreatedApiKey>('/v1/keys', {
          method: 'POST',
          body: { name, role: String(data.get('role')) },
        }),
      );
      form.reset();
      keys.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const revoke = async (key: ApiKeyInfo) => {
    if (!confirm(`Revoke "${key.name}" (${key.prefix}…)? Anything using it stops working at once.`)) return;
    try {
      await api.request(`/v1/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      keys.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      <form class="card filters" onSubmit={create} aria-label="Create an API key">
        <label>
          Name
          <input name="name" maxLength={100} placeholder="e.g. ci-bot, ann" />
        </label>
        <label>
          Role
          <select name="role" defaultValue="viewer">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit">Create key</button>
      </form>
      {created && (
        <div class="notice notice-ok secret" role="status">
          <p>
            Key <strong>{created.apiKey.name}</strong> ({created.apiKey.role}) created. Copy it now: it is
            shown only this once.
          </p>
          <label for="new-key">New key</label>
          <input
            id="new-key"
            readOnly
            value={created.key}
            onFocus={(e) => (e.target as HTMLInputElement).select()}
          />
          <button type="button" class="secondary" onClick={() => setCreated(undefined)}>
            I have copied it
          </button>
        </div>
      )}
      <ErrorNotice error={error ?? keys.error} />
      <label class="check">
        <input
          type="checkbox"
          checked={showRevoked}
          onChange={(e) => setShowRevoked((e.target as HTMLInputElement).checked)}
        />{' '}
        Show revoked keys
      </label>
      <table class="rows keys">
        <caption class="sr-only">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(keys.data ?? []).map((k) => (
            <tr key={k.id} class={k.revokedAt ? 'revoked' : ''}>
              <td>{k.name}</td>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{k.role}</td>
              <td class="dim" title={localTime(k.createdAt)}>
                {ago(k.createdAt)}
              </td>
              <td class="dim">{k.lastUsedAt ? ago(k.lastUsedAt) : 'never'}</td>
              <td>
                {k.revokedAt ? (
                  <span class="dim">revoked {ago(k.revokedAt)}</span>
                ) : (
                  <button type="button" class="danger small" onClick={() => revoke(k)}>
                    Revoke<span class="sr-only"> {k.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
