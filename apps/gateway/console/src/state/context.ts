// What every page needs: the API client and who is signed in (GET /v1/whoami).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { type WhoAmI } from '@foxhound/contracts';
import { type Api } from '../api/client';

export interface Session {
  api: Api;
  me: WhoAmI;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

export const may = (me: WhoAmI, permission: string) => me.permissions.includes(permission);
