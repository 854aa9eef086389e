// Evidence against the leading hypothesis: what the investigator's and the log analyst's reads say
// about H1, decided from what those reads returned. The object is gone → H1 is demoted; the decisive
// log line names another candidate's object and not H1's → that candidate replaces H1; a read that
// shows H1's own reason or quotes its object → confirmed; reads that returned nothing → untested.
// Pure: the plan hands in what was read, and only that.
import { type HypothesisOutcome, type ObjectRef } from '@foxhound/contracts';
import { type LogSignal, type RankedGroup } from '@foxhound/diagnostics';
import { refText } from '../report/markdown';

/** What the specialists' reads returned, as facts. */
export interface Reads {
  /** kubectl_describe of H1's object: found (with its text), gone, or not read. */
  object?: { found: boolean; text: string };
  /** The confirming read (events, quota, image, endpoints, usage), when it returned data. */
  confirming?: { tool: string; text: string };
  /** The log read, when one was made. */
  logs?: { pod: ObjectRef; decisive?: LogSignal };
}

export interface Weighed {
  hypothesis: HypothesisOutcome;
  /** The groups in their new order: the lead first. */
  groups: RankedGroup[];
  /** H1's confidence after the reads. */
  confidence: number;
}

const namesOf = (g: RankedGroup): string[] =>
  [g.root, ...g.symptoms]
    .flatMap((f) => [f.object.name, f.parent?.name])
    .filter((n): n is string => !!n && n.length >= 3)
    .map((n) => n.toLowerCase());

/** A name in a line as a word (`db` inside `dbx` does not count). */
function mentions(line: string, name: string): boolean {
  const at = line.indexOf(name);
  if (at < 0) return false;
  const before = line[at - 1];
  const after = line[at + name.length];
  return (!before || !/[a-z0-9]/.test(before)) && (!after || !/[a-z0-9]/.test(after));
}

/** The Service name a dependency host stands for: `db.data.svc.cluster.local` → `db`. */
const hostName = (host: string | undefined): string | undefined => host?.split('.')[0]?.toLowerCase();

export function weigh(groups: RankedGroup[], reads: Reads): Weighed {
  const [lead, ...rest] = groups;
  if (!lead)
    return { hypothesis: { outcome: 'untested', reason: 'No hypothesis to test.' }, groups, confidence: 0 };
  const h1 = `${lead.root.reason} on ${refText(lead.root.parent ?? lead.root.object)}`;
  const base = lead.root.confidence;

  if (reads.object && !reads.object.found) {
    const next = rest[0];
    const reason = `${refText(lead.root.object)} no longer exists (kubectl_describe found nothing), so ${h1} is not what is failing now.`;
    return next
      ? {
          hypothesis: {
            outcome: 'replaced',
            reason: `${reason} ${next.root.reason} on ${refText(next.root.parent ?? next.root.object)} leads instead.`,
          },
          groups: [next, lead, ...rest.slice(1)],
          confidence: next.root.confidence,
        }
      : { hypothesis: { outcome: 'demoted', reason }, groups, confidence: Math.min(base, 0.3) };
  }

  const decisive = reads.logs?.decisive;
  if (decisive) {
    const line = decisive.line.toLowerCase();
    const own = namesOf(lead).some((n) => mentions(line, n));
    const host = hostName(decisive.host);
    const other = rest.slice(0, 3).find((g) => namesOf(g).some((n) => mentions(line, n) || n === host));
    if (other && !own) {
      const name = refText(other.root.parent ?? other.root.object);
      return {
        hypothesis: {
          outcome: 'replaced',
          reason: `The decisive log line of ${refText(reads.logs!.pod)} points at ${name}, not at ${h1}: "${decisive.line.trim().slice(0, 200)}". ${other.root.reason} on ${name} leads instead.`,
        },
        groups: [other, ...groups.filter((g) => g !== other)],
        confidence: other.root.confidence,
      };
    }
    const quoted = lead.root.evidence.some((e) => e.excerpt.includes(decisive.line.trim().slice(0, 80)));
    if (own || quoted || lead.root.evidence.some((e) => e.source === 'log')) {
      return {
        hypothesis: {
          outcome: 'confirmed',
          reason: `The log read agrees with ${h1}: "${decisive.line.trim().slice(0, 200)}".`,
        },
        groups,
        confidence: Math.min(0.95, base + 0.05),
      };
    }
  } else if (reads.logs && lead.root.evidence.some((e) => e.source === 'log')) {
    return {
      hypothesis: {
        outcome: 'demoted',
        reason: `The fresh log read of ${refText(reads.logs.pod)} shows no error pattern, although ${h1} rests on log lines: the failure may have stopped or the lines rotated out.`,
      },
      groups,
      confidence: Math.max(0.1, base * 0.6),
    };
  }

  const seen = [reads.object?.text, reads.confirming?.text].filter((t): t is string => !!t);
  // The read chosen to confirm this kind of cause (quota arithmetic, image check, endpoints, usage)
  // answering about H1's own object corroborates it.
  const corroborated = reads.confirming?.text.toLowerCase().includes(lead.root.object.name.toLowerCase());
  if (corroborated && reads.confirming) {
    return {
      hypothesis: {
        outcome: 'confirmed',
        reason: `${reads.confirming.tool} reads ${refText(lead.root.object)} as the analyzers did: ${reads.confirming.text.split('\n')[0]!.slice(0, 200)}`,
      },
      groups,
      confidence: Math.min(0.95, base + 0.05),
    };
  }
  if (seen.some((t) => t.includes(lead.root.reason))) {
    return {
      hypothesis: {
        outcome: 'confirmed',
        reason: `${reads.confirming && reads.confirming.text.includes(lead.root.reason) ? reads.confirming.tool : 'kubectl_describe'} shows ${lead.root.reason} on ${refText(lead.root.object)} as of now.`,
      },
      groups,
      confidence: Math.min(0.95, base + 0.05),
    };
  }
  if (seen.length > 0) {
    return {
      hypothesis: {
        outcome: 'untested',
        reason: `${refText(lead.root.object)} still exists and the reads show nothing for or against ${h1}; it stands on the analyzers' evidence.`,
      },
      groups,
      confidence: base,
    };
  }
  return {
    hypothesis: {
      outcome: 'untested',
      reason: `No confirming read returned data; ${h1} rests on the analyzers alone.`,
    },
    groups,
    confidence: Math.min(base, 0.6),
  };
}
