// The signed-in credential: an API key (`fh_…`) or a JWT from the gateway's configured issuer, kept in
// this tab's sessionStorage only (gone when the tab closes, never in a URL, never in localStorage).
const STORAGE_KEY = 'foxhound.credential';

export function loadCredential(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // Storage disabled: the user signs in on every load.
  }
}

export function saveCredential(credential: string): void {
  sessionStorage.setItem(STORAGE_KEY, credential);
}

export function clearCredential(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** API keys go in X-API-Key; anything else is a bearer token for the gateway's JWT verifier. */
export function authHeaders(credential: string): Record<string, string> {
  return credential.startsWith('fh_')
    ? { 'x-api-key': credential }
    : { authorization: `Bearer ${credential}` };
}
