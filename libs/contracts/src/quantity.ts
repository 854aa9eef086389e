// Kubernetes resource quantities as numbers, for comparing a proposed request or limit with a
// LimitRange, a quota or a configured maximum. Follows resource.Quantity's suffixes: decimal SI
// (m, k, M, G, T, P, E), binary (Ki ... Ei) and decimal exponents (1e3).

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
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

const QUANTITY = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$/;

/** The quantity in base units (cores, bytes, objects), or undefined when it does not parse. */
export function parseQuantity(value: string | number | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (value === undefined) return undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  return Number.isFinite(n) ? n * SUFFIX[match[2] ?? '']! : undefined;
}
