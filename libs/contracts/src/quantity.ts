// Kubernetes resource quantities as numbers, for comparing a proposed request or limit with a
// LimitRange, a quota or a configured maximum, and for the analyzers' quota and usage arithmetic.
// Follows resource.Quantity's suffixes: decimal SI (n, u, m, k, M, G, T, P, E), binary (Ki ... Ei)
// and decimal exponents (1e3).

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** The quantity in base units (cores, bytes, objects), or undefined when it is not a finite quantity. */
export function parseQuantity(value: string | number | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const n = Number(match[1]) * SUFFIX[match[2] ?? '']!;
  return Number.isFinite(n) ? n : undefined;
}
