// A status chip: the state in words (never colour alone), coloured by class for a quick scan.
export function Chip({ state, label }: { state: string; label?: string }) {
  return <span class={`chip chip-${state}`}>{label ?? state}</span>;
}
