// Newer/older paging over the API's cursor pages: the cursors walked so far are the way back.
export function Pager({
  cursors,
  nextCursor,
  onChange,
}: {
  cursors: string[];
  nextCursor: string | null | undefined;
  onChange(cursors: string[]): void;
}) {
  return (
    <nav class="pager" aria-label="Pages">
      <button
        type="button"
        class="secondary"
        disabled={!cursors.length}
        onClick={() => onChange(cursors.slice(0, -1))}
      >
        ← Newer
      </button>
      <button
        type="button"
        class="secondary"
        disabled={!nextCursor}
        onClick={() => nextCursor && onChange([...cursors, nextCursor])}
      >
        Older →
      </button>
    </nav>
  );
}
