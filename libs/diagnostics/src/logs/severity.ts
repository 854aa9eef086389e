// An event's severity: the level the line states; else the HTTP status an access record carries
// (5xx error, the rest info: a 404 on a health check is not an error of this process); else the
// wording (panics and fatal runtime errors, error words, warning words).
import { type AccessRecord, type LogSeverity, SEVERITIES } from './types';

const FATAL_WORDS =
  /^panic: |^fatal error: |\bFATAL\b|\bPANIC\b|OutOfMemoryError|JavaScript heap out of memory|[Ss]egmentation fault|core dumped|\[emerg\]|\bCRITICAL\b/;
const ERROR_WORDS =
  /\b(?:[Ee]rror|ERROR|[Ee]xception|[Ff]ailed|FAILED|[Ff]ailure|[Rr]efused|[Uu]nable to|[Cc]annot|[Cc]an't|[Cc]ould not|[Dd]enied|[Tt]imed out|[Tt]imeout|[Nn]o such|[Ii]nvalid|[Uu]nreachable|Traceback|[Ff]orbidden|[Uu]nauthorized|not found|ECONN\w+|ENOTFOUND|EADDRINUSE|ENOSPC|EACCES|[Pp]anic)\b/;
const WARNING_WORDS = /\b(?:[Ww]arn(?:ing)?|WARN(?:ING)?|[Dd]eprecated|[Rr]etry(?:ing)?|[Rr]etrying)\b/;

export function severityRank(s: LogSeverity): number {
  return SEVERITIES.indexOf(s);
}

export function maxSeverity(a: LogSeverity, b: LogSeverity): LogSeverity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export function isErrorLike(s: LogSeverity): boolean {
  return s === 'error' || s === 'fatal';
}

/** Severity from the wording alone, for lines that state no level. */
function severityOfWording(text: string): LogSeverity {
  const head = text.length > 1000 ? text.slice(0, 1000) : text;
  if (FATAL_WORDS.test(head)) return 'fatal';
  // A line that says it retries is coping with the error it names: a warning.
  if (WARNING_WORDS.test(head)) return 'warning';
  if (ERROR_WORDS.test(head)) return 'error';
  return 'info';
}

export function severityOf(
  level: LogSeverity | undefined,
  access: AccessRecord | undefined,
  text: string,
): LogSeverity {
  if (level) return level;
  if (access) return access.status >= 500 ? 'error' : 'info';
  return severityOfWording(text);
}
