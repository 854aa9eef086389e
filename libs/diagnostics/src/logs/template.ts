// Drain-style template mining (He et al., "Drain: An Online Log Parsing Approach with Fixed Depth
// Tree", ICWS 2017): variable tokens are masked first (UUIDs, IPs, hex, durations, numbers, quoted
// values, key=value values), then events with the same token count and first token join the most
// similar template, whose differing positions become `<*>`. Bounded in templates and tokens.
import { MAX_TEMPLATES } from './limits';

const WILDCARD = '<*>';
const MAX_TOKENS = 48;
const SIMILARITY = 0.5;

// One pass, one alternation: each branch is a variable the template should not depend on.
const VARIABLE = new RegExp(
  [
    '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}', // UUID
    '\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d{1,5})?\\b', // IPv4[:port]
    '\\[?[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7}\\]?(?::\\d{1,5})?', // IPv6
    '\\b\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})?', // timestamps
    '\\b0x[0-9a-fA-F]+\\b', // hex literal
    '\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b', // hashes, ids
    '\\b\\d+(?:\\.\\d+)?(?:ms|s|µs|us|ns|m|h)\\b', // durations
    '"(?:[^"\\\\]|\\\\.){0,200}"', // double-quoted values
    "'(?:[^'\\\\]|\\\\.){0,200}'", // single-quoted values
    '(?<==)[^\\s,;)]+', // key=value values
    '\\b[A-Za-z]*\\d[\\w-]*\\b', // anything with a digit: numbers, pod suffixes, versions
  ].join('|'),
  'g',
);

/** The masked token list of a message. */
export function tokenize(message: string): string[] {
  const masked = message.slice(0, 1000).replace(VARIABLE, WILDCARD);
  const tokens = masked.split(/\s+/).filter((t) => t !== '');
  return tokens.length > MAX_TOKENS ? tokens.slice(0, MAX_TOKENS) : tokens;
}

interface Cluster {
  id: number;
  tokens: string[];
}

export class TemplateMiner {
  private readonly groups = new Map<string, Cluster[]>();
  private readonly clusters: Cluster[] = [];

  /**
   * The template id the message joins, or -1 when the template bound is reached and it matches none.
   * A `literal` message (an HTTP request's `method endpoint status`, already normalised) is not masked.
   */
  add(message: string, literal = false): number {
    const tokens = literal ? message.split(' ') : tokenize(message);
    const key = `${literal ? 'L' : 'T'}|${tokens.length}|${tokens[0] ?? ''}`;
    let group = this.groups.get(key);
    if (!group) {
      group = [];
      this.groups.set(key, group);
    }
    let best: Cluster | undefined;
    let bestSim = -1;
    for (const c of group) {
      let same = 0;
      for (let i = 0; i < tokens.length; i++) if (c.tokens[i] === tokens[i]) same++;
      const sim = tokens.length ? same / tokens.length : 1;
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    if (best && bestSim >= (literal ? 1 : SIMILARITY)) {
      for (let i = 0; i < tokens.length; i++) if (best.tokens[i] !== tokens[i]) best.tokens[i] = WILDCARD;
      return best.id;
    }
    if (this.clusters.length >= MAX_TEMPLATES) return -1;
    const cluster = { id: this.clusters.length, tokens };
    this.clusters.push(cluster);
    group.push(cluster);
    return cluster.id;
  }

  template(id: number): string {
    return this.clusters[id].tokens.join(' ');
  }
}
