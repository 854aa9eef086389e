// Starts an investigation (or a follow-up on a thread) with POST /v1/investigations and opens it.
import { useState } from 'preact/hooks';
import { type InvestigationCreated } from '@foxhound/contracts';
import { useSession } from '../state/context';
import { investigationHref } from '../state/route';
import { ErrorNotice } from './Notice';

// contracts' MAX_PROMPT_CHARS and NamespaceSchema, restated: importing values from contracts would
// bundle zod into the page. The gateway validates again; these only give the message before a round trip.
const MAX_PROMPT = 100_000;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parseNamespaces(text: string): string[] | string {
  const names = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.find((n) => n.length > 63 || !NAMESPACE.test(n));
  if (bad) return `"${bad}" is not a namespace name.`;
  if (names.length > 50) return 'At most 50 namespaces.';
  return names;
}

export function StartInvestigation({ threadId }: { threadId?: string }) {
  const { api } = useSession();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const followUp = Boolean(threadId);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const prompt = String(data.get('prompt') ?? '').trim();
    if (!prompt) return setError(followUp ? 'Write the follow-up question.' : 'Describe what is wrong.');
    const namespaces = parseNamespaces(String(data.get('namespaces') ?? ''));
    if (typeof namespaces === 'string') return setError(namespaces);
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.request<InvestigationCreated>('/v1/investigations', {
        method: 'POST',
        body: { prompt, threadId, namespaces: namespaces.length ? namespaces : undefined },
      });
      form.reset();
      location.hash = investigationHref(created.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const id = followUp ? 'followup' : 'start';
  return (
    <form
      class={`card start ${followUp ? 'followup' : ''}`}
      onSubmit={submit}
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`} class={followUp ? '' : 'sr-only'}>
        {followUp ? 'Follow up on this thread' : 'Start an investigation'}
      </h2>
      <label for={`${id}-prompt`}>{followUp ? 'Question' : 'What is wrong?'}</label>
      <textarea
        id={`${id}-prompt`}
        name="prompt"
        rows={2}
        maxLength={MAX_PROMPT}
        placeholder={
          followUp ? 'e.g. is it safe to apply the fix now?' : 'e.g. checkout returns 500s since 14:00'
        }
      />
      <div class="row">
        {!followUp && (
          <label class="grow">
            Namespaces <span class="dim">(optional, comma separated)</span>
            <input name="namespaces" placeholder="shop, payments" maxLength={4000} />
          </label>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Starting…' : followUp ? 'Ask' : 'Investigate'}
        </button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}
