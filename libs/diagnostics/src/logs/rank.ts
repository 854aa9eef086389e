// Template ranking: errors first; among them, more occurrences, a burst in the newest part of the log
// (a steady trickle of the same error is background, a burst is news), templates new compared with
// the previous container or the older part of the log, and recency of the last occurrence.
import { isErrorLike, severityRank } from './severity';
import { type LogTemplate } from './types';

/** The share of the log (by time when lines carry it, else by position) that counts as "recent". */
export const RECENT_FRACTION = 0.2;

export function templateScore(t: Omit<LogTemplate, 'score' | 'entities'>, totalEvents: number): number {
  const recency = totalEvents > 0 ? t.lastIndex / totalEvents : 0;
  // A template whose occurrences crowd the recent window beyond its fair share is a burst.
  const burst = Math.max(0, t.recentShare - RECENT_FRACTION) / (1 - RECENT_FRACTION);
  return (
    Math.log2(1 + t.count) * 10 +
    burst * 30 +
    (t.isNew ? 15 : 0) +
    recency * 10 +
    (t.severity === 'fatal' ? 10 : 0)
  );
}

export function compareTemplates(a: LogTemplate, b: LogTemplate): number {
  const ea = isErrorLike(a.severity) ? 1 : 0;
  const eb = isErrorLike(b.severity) ? 1 : 0;
  return eb - ea || b.score - a.score || severityRank(b.severity) - severityRank(a.severity);
}
