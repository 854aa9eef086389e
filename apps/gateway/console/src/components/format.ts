// Small text helpers shared by the pages: ages, object references, durations.
import { type ObjectRef } from '@foxhound/contracts';

export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}

export const refText = (ref?: ObjectRef): string =>
  ref ? `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}` : '';

export const seconds = (ms?: number): string => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)}s`);

export const localTime = (iso: string): string => new Date(iso).toLocaleString();

/** The principal as people read it: `key:abc` → `key abc`, `user:ann` → `ann`. */
export const who = (principal?: string): string =>
  !principal ? '—' : principal.startsWith('user:') ? principal.slice(5) : principal;
