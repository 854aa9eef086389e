// Kubernetes resource quantities (`250m`, `1Gi`, `1.5`, `2e3`): exact parsing to nano units and
// the canonical printing of apimachinery's Quantity.String(), so quota messages read
// `used: requests.memory=7680Mi` exactly as a real API server prints them. A sum keeps the format
// of its first non-zero term, as Quantity.Add does.
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in units of 10^-9 (nano); every valid quantity is exact at this precision. */
  nanos: bigint;
  format: QuantityFormat;
}

const NANO = 1_000_000_000n;
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([+-]?\d+))?$/;
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));

export const ZERO: Quantity = { nanos: 0n, format: 'DecimalSI' };

function pow(base: bigint, exponent: number): bigint {
  return base ** BigInt(exponent);
}

/** Divides rounding away from zero, as a Quantity rounds up a value finer than nano. */
function divideUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : n < 0n ? q - 1n : q + 1n;
}

/** Parses a quantity; undefined when it is not one. */
export function parseQuantity(input: unknown): Quantity | undefined {
  const text = typeof input === 'number' ? String(input) : input;
  if (typeof text !== 'string') return undefined;
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const [, sign, number, binary, decimal, exponent] = m;
  const [whole, fraction = ''] = number.split('.');
  let numerator = BigInt((whole || '0') + fraction) * NANO;
  let denominator = pow(10n, fraction.length);
  let format: QuantityFormat = 'DecimalSI';
  if (binary) {
    numerator *= pow(1024n, BINARY_SUFFIXES.indexOf(binary));
    format = 'BinarySI';
  } else {
    const e = decimal ? DECIMAL_SUFFIXES[decimal] : exponent ? Number(exponent) : 0;
    if (Math.abs(e) > 100) return undefined;
    if (e >= 0) numerator *= pow(10n, e);
    else denominator *= pow(10n, -e);
    if (exponent) format = 'DecimalExponent';
  }
  const nanos = divideUp(numerator, denominator);
  return { nanos: sign === '-' ? -nanos : nanos, format };
}

/** The largest exponent (a multiple of 3, -9..18) at which `nanos` is a whole number. */
function decimalScale(nanos: bigint): { mantissa: bigint; exponent: number } {
  for (let e = 18; e > -9; e -= 3) {
    const unit = pow(10n, e + 9);
    if (nanos % unit === 0n) return { mantissa: nanos / unit, exponent: e };
  }
  return { mantissa: nanos, exponent: -9 };
}

/** Quantity.String(): the canonical form in the quantity's format. */
export function formatQuantity(q: Quantity): string {
  if (q.nanos === 0n) return '0';
  if (q.format === 'BinarySI') {
    const whole = q.nanos % NANO === 0n;
    const value = q.nanos / NANO;
    // Small or fractional binary quantities print as decimal, as apimachinery does.
    if (whole && (value >= 1024n || value <= -1024n)) {
      for (let i = BINARY_SUFFIXES.length - 1; i > 0; i--) {
        const unit = pow(1024n, i);
        if (value % unit === 0n) return `${value / unit}${BINARY_SUFFIXES[i]}`;
      }
      return String(value);
    }
  }
  const { mantissa, exponent } = decimalScale(q.nanos);
  if (q.format === 'DecimalExponent') return exponent === 0 ? String(mantissa) : `${mantissa}e${exponent}`;
  return `${mantissa}${exponent === 0 ? '' : SUFFIX_BY_EXPONENT.get(exponent)}`;
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return { nanos: a.nanos + b.nanos, format: a.nanos === 0n ? b.format : a.format };
}

export function maxQuantity(a: Quantity, b: Quantity): Quantity {
  return b.nanos > a.nanos ? b : a;
}

/** A resource list (`{cpu: '250m', memory: '1Gi'}`) as quantities; unparsable values are left out. */
export type ResourceList = Map<string, Quantity>;

export function parseResourceList(list: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (!list || typeof list !== 'object') return out;
  for (const [k, v] of Object.entries(list)) {
    const q = parseQuantity(v);
    if (q) out.set(k, q);
  }
  return out;
}

export function addResourceLists(a: ResourceList, b: ResourceList): ResourceList {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, addQuantities(out.get(k) ?? ZERO, v));
  return out;
}

/** Per key, the larger of the two. */
export function maxResourceLists(a: ResourceList, b: ResourceList): ResourceList {
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, out.has(k) ? maxQuantity(out.get(k)!, v) : v);
  return out;
}

/** `{cpu: '250m'}` for status fields and messages. */
export function formatResourceList(list: ResourceList): Record<string, string> {
  return Object.fromEntries([...list].map(([k, v]) => [k, formatQuantity(v)]));
}
