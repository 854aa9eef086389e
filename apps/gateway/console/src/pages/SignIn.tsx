// Sign-in: an API key (or a JWT from the gateway's configured issuer) checked against GET /v1/whoami
// before it is kept for this tab. A key already in the tab's session is checked the same way on load.
import { useEffect, useState } from 'preact/hooks';
import { type WhoAmI } from '@foxhound/contracts';
import { createApi } from '../api/client';
import { ErrorNotice, StatusNotice } from '../components/Notice';
import { clearCredential } from '../state/session';

interface Props {
  stored: string | null;
  reason?: string;
  onSignedIn(credential: string, me: WhoAmI): void;
}

/** Longest credential accepted: API keys are ~50 characters, JWTs a few kilobytes. */
const MAX_CREDENTIAL = 16 * 1024;

export function validateCredential(value: string): string | undefined {
  if (!value) return 'Enter an API key (fh_…) or a token.';
  if (value.length > MAX_CREDENTIAL) return 'That is too long to be an API key or a token.';
  if (/\s/.test(value)) return 'A key or token has no spaces; paste it again.';
  return undefined;
}

async function check(credential: string): Promise<WhoAmI> {
  return createApi(credential, () => undefined).request<WhoAmI>('/v1/whoami');
}

export function SignIn({ stored, reason, onSignedIn }: Props) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(Boolean(stored));

  useEffect(() => {
    if (!stored) return;
    check(stored).then(
      (me) => onSignedIn(stored, me),
      (err: Error) => {
        clearCredential();
        setError(`Signed out: ${err.message}`);
        setBusy(false);
      },
    );
  }, [stored, onSignedIn]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const credential = value.trim();
    const invalid = validateCredential(credential);
    if (invalid) return setError(invalid);
    setBusy(true);
    setError(undefined);
    try {
      const me = await check(credential);
      setValue('');
      onSignedIn(credential, me);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <h1>Foxhound</h1>
      <p class="dim">Sign in to see investigations, approve fixes and read the audit trail.</p>
      {reason && !error && <StatusNotice>{reason}</StatusNotice>}
      <ErrorNotice error={error} />
      <form onSubmit={submit} class="card" aria-busy={busy}>
        <label for="credential">API key or token</label>
        <input
          id="credential"
          name="credential"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          aria-describedby="credential-help"
          disabled={busy}
        />
        <p id="credential-help" class="dim small">
          An API key (<code>fh_…</code>) from your admin or from <code>make up</code>, or a JWT from your
          identity provider when the gateway is configured for one. It is kept in this tab only, until you
          sign out or close it.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
