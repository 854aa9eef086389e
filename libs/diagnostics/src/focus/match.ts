// How well one term from a question names one object: exactly, ignoring case and separators
// (`Order_Processor` ~ `order-processor`), as a plural (`payments` ~ `payment`), as the name less a
// generic suffix (`checkout` ~ `checkout-svc`), as one distinctive segment of it (`catalog` ~
// `catalog-api`), or within a small edit distance for a typo (`paymnets` ~ `payments`). Scores are
// ordinal: a better kind of match always outranks a worse one.
import { editDistance } from '../causes/images';

export type MatchHow = 'exact' | 'normalized' | 'plural' | 'base' | 'segment' | 'fuzzy';

export interface NameMatch {
  how: MatchHow;
  score: number;
}

const SCORE: Record<MatchHow, number> = {
  exact: 1,
  normalized: 0.95,
  plural: 0.9,
  base: 0.85,
  fuzzy: 0.75,
  segment: 0.7,
};

/** Suffixes that say what a thing is, not which thing it is. */
const GENERIC = new Set([
  'svc',
  'service',
  'api',
  'app',
  'server',
  'srv',
  'deployment',
  'deploy',
  'web',
  'worker',
  'backend',
  'frontend',
  'v1',
  'v2',
  'main',
  'primary',
  'headless',
  'internal',
  'public',
]);

const normalize = (s: string): string => s.toLowerCase().replace(/[-_.\s]+/g, '');

function singular(s: string): string {
  if (s.length > 4 && s.endsWith('ies')) return `${s.slice(0, -3)}y`;
  if (s.length > 4 && /(ses|xes|ches|shes)$/.test(s)) return s.slice(0, -2);
  if (s.length > 3 && s.endsWith('s') && !s.endsWith('ss')) return s.slice(0, -1);
  return s;
}

const segments = (name: string): string[] =>
  name
    .toLowerCase()
    .split(/[-_.]+/)
    .filter(Boolean);

/** The name without generic trailing or leading segments: `checkout-svc` → `checkout`. */
function base(name: string): string {
  const parts = segments(name);
  while (parts.length > 1 && GENERIC.has(parts[parts.length - 1]!)) parts.pop();
  while (parts.length > 1 && GENERIC.has(parts[0]!)) parts.shift();
  return parts.join('');
}

/** Typos only on names long enough that a slip is not another word. */
function typoAllowance(length: number): number {
  return length >= 8 ? 2 : length >= 5 ? 1 : 0;
}

export function matchName(term: string, name: string): NameMatch | undefined {
  const t = term.toLowerCase();
  const n = name.toLowerCase();
  if (t === n) return { how: 'exact', score: SCORE.exact };
  const nt = normalize(t);
  const nn = normalize(n);
  if (!nt || !nn) return undefined;
  if (nt === nn) return { how: 'normalized', score: SCORE.normalized };
  if (singular(nt) === singular(nn)) return { how: 'plural', score: SCORE.plural };
  const b = base(n);
  if (b !== nn && (nt === b || singular(nt) === singular(b)) && nt.length >= 3)
    return { how: 'base', score: SCORE.base };
  const allowance = typoAllowance(Math.min(nt.length, nn.length));
  if (allowance > 0 && editDistance(nt, nn, allowance) <= allowance)
    return { how: 'fuzzy', score: SCORE.fuzzy };
  if (
    nt.length >= 4 &&
    !GENERIC.has(nt) &&
    segments(n).some((s) => s === nt || (s.length >= 5 && singular(s) === singular(nt)))
  )
    return { how: 'segment', score: SCORE.segment };
  return undefined;
}
