// Messages: errors are announced to screen readers (role=alert), progress politely (role=status).
import { type ComponentChildren } from 'preact';

export function ErrorNotice({ error }: { error?: string | null }) {
  if (!error) return null;
  return (
    <p class="notice notice-error" role="alert">
      {error}
    </p>
  );
}

export function StatusNotice({ children }: { children?: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}
