// The shell: sign-in gate, the header with navigation and who is signed in, and the routed page.
// A credential the gateway refuses later (revoked, expired) signs the tab out with the reason shown.
import { useCallback, useMemo, useState } from 'preact/hooks';
import { type StoredProposal, type WhoAmI } from '@foxhound/contracts';
import { createApi } from './api/client';
import { Approvals } from './pages/Approvals';
import { Audit } from './pages/Audit';
import { Investigation } from './pages/Investigation';
import { Investigations } from './pages/Investigations';
import { Keys } from './pages/Keys';
import { SignIn } from './pages/SignIn';
import { SessionContext, may, useSession } from './state/context';
import { usePoll } from './state/use-poll';
import { useRoute, type Route } from './state/route';
import { clearCredential, loadCredential, saveCredential } from './state/session';
import { who } from './components/format';

interface Signed {
  credential: string;
  me: WhoAmI;
}

export function App() {
  const [signed, setSigned] = useState<Signed | null>(null);
  const [signOutReason, setSignOutReason] = useState<string | undefined>();
  const route = useRoute();

  const signOut = useCallback((reason?: string) => {
    clearCredential();
    setSigned(null);
    setSignOutReason(reason);
  }, []);

  const api = useMemo(
    () => (signed ? createApi(signed.credential, (message) => signOut(`Signed out: ${message}`)) : undefined),
    [signed, signOut],
  );

  // Stable, so SignIn's check of a stored credential runs once, not on every route change.
  const signIn = useCallback((credential: string, me: WhoAmI) => {
    saveCredential(credential);
    setSignOutReason(undefined);
    setSigned({ credential, me });
  }, []);

  if (!signed || !api) {
    return <SignIn stored={loadCredential()} reason={signOutReason} onSignedIn={signIn} />;
  }

  return (
    <SessionContext.Provider value={{ api, me: signed.me }}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/investigations">
          Foxhound
        </a>
        <Nav route={route} me={signed.me} />
        <div class="whoami">
          <span title={signed.me.id}>
            {who(signed.me.id)} · <strong>{signed.me.role}</strong>
          </span>
          <button type="button" class="link" onClick={() => signOut('You signed out.')}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </SessionContext.Provider>
  );
}

/** The pending count beside Approvals: what an approver came for. Cheap, so re-read slowly. */
const PENDING_REFRESH_MS = 15_000;

function Nav({ route, me }: { route: Route; me: WhoAmI }) {
  const current = route.page === 'investigation' ? 'investigations' : route.page;
  const { api } = useSession();
  const pending = usePoll(
    (signal) =>
      api
        .request<{ items: StoredProposal[] }>('/v1/actions?state=proposed&limit=100', { signal })
        .then((r) => r.items.length),
    PENDING_REFRESH_MS,
    'pending',
  );
  const items: Array<[string, string, boolean]> = [
    ['investigations', 'Investigations', true],
    ['approvals', 'Approvals', true],
    ['audit', 'Audit', may(me, 'audit:read')],
    ['keys', 'Keys', may(me, 'keys:manage')],
  ];
  return (
    <nav aria-label="Main">
      <ul>
        {items
          .filter(([, , shown]) => shown)
          .map(([page, label]) => (
            <li key={page}>
              <a href={`#/${page}`} aria-current={current === page ? 'page' : undefined}>
                {label}
                {page === 'approvals' && pending.data ? (
                  <span class="badge">
                    {pending.data >= 100 ? '100+' : pending.data}
                    <span class="sr-only"> waiting for a decision</span>
                  </span>
                ) : null}
              </a>
            </li>
          ))}
      </ul>
    </nav>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'investigation':
      return <Investigation key={route.id} id={route.id} />;
    case 'approvals':
      return <Approvals query={route.query} />;
    case 'audit':
      return <Audit query={route.query} />;
    case 'keys':
      return <Keys />;
    default:
      return <Investigations query={route.query} />;
  }
}
