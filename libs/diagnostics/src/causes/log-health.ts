// What a log says about a process that Kubernetes calls healthy: the verdict an SRE reaches reading
// it. Failing when the log shows a fatal-class error more than once (memory exhaustion, disk full,
// read-only file system, RBAC refusals, an expired certificate), an endpoint answering 5xx to a real
// share of its requests, an endpoint whose requests are slow, or an error template that keeps
// recurring to the end of the log at a real share of all events. Quiet otherwise: warnings, retries,
// 4xx (a health check's 404), debug-level traces and a single transient error are not findings.
import { analyzeLog, eventText } from '../logs/analyze';
import { MAX_TEMPLATE_CHARS, SLOW_REQUEST_MS } from '../logs/limits';
import { isErrorLike } from '../logs/severity';
import { type EndpointStats, type LogAnalysis, type LogTemplate } from '../logs/types';
import { type Lookup } from '../lookup';
import { DEPENDENCY_SIGNALS, FATAL_SIGNALS, type LogSignal, signalsOf } from './logs';

/** A class or template must recur at least this often to be more than a transient error. */
export const MIN_REPEATS = 2;
/**
 * Classes that occur in passing under normal load need more: a pool briefly full twice in a busy
 * service is a blip, five times is a saturated service.
 */
const MIN_REPEATS_OF: Partial<Record<LogSignal['kind'], number>> = { saturation: 5 };
/** Error events needed, and their share of all events, before an error rate is a finding. */
const MIN_ERRORS = 5;
const MIN_ERROR_SHARE = 0.1;
/** 5xx needed on one endpoint, and their share of its requests. */
export const MIN_SERVER_ERRORS = 5;
const MIN_SERVER_ERROR_SHARE = 0.05;
/** Slow requests needed on one endpoint before its latency is a finding. */
const MIN_SLOW = 5;

/**
 * Errors a process logs about its clients, not about itself, that an SRE reads past:
 *  - Go's net/http server logs "http: TLS handshake error from <addr>: EOF" (go/src/net/http/server.go)
 *    for every connection closed before the handshake, which is what load-balancer TCP health checks do;
 *  - Go's context.Canceled ("context canceled", go/src/context/context.go) on a request means the
 *    caller went away (a client disconnect or its own timeout), not that this server failed.
 */
const CLIENT_SIDE_NOISE = [
  /http: TLS handshake error from \S+: (?:EOF|read tcp \S+: (?:read: )?connection reset by peer)/,
  /\bcontext canceled\b/,
];

function isClientSideNoise(text: string): boolean {
  return CLIENT_SIDE_NOISE.some((re) => re.test(text));
}

export interface LogHealth {
  analysis: LogAnalysis;
  /** Error and fatal events, and all events. */
  errors: number;
  events: number;
  /** The top error template, if any error was logged. */
  dominant?: LogTemplate;
  signals: LogSignal[];
  /** The strongest reason to call the process failing, if there is one. */
  problem?:
    | { kind: 'fatal-class'; signal: LogSignal }
    | { kind: 'server-errors'; endpoint: EndpointStats }
    | { kind: 'latency'; endpoint: EndpointStats }
    | { kind: 'error-rate'; template: LogTemplate };
}

function isRecurringToTheEnd(t: LogTemplate, analysis: LogAnalysis): boolean {
  // Still happening: its last occurrence is in the newer half of the log.
  const start = analysis.gaps.droppedLines;
  return t.lastIndex >= start + (analysis.lines - start) / 2;
}

export function logHealth(lines: readonly string[], reference?: number): LogHealth {
  const analysis = analyzeLog(lines, { reference });
  const signals = signalsOf(lines);
  let noise = 0;
  for (const e of analysis.notable) if (isErrorLike(e.severity) && isClientSideNoise(eventText(e))) noise++;
  const errors = analysis.severities.error + analysis.severities.fatal - noise;
  const events = analysis.eventCount;
  const dominant = analysis.templates.find(
    (t) => isErrorLike(t.severity) && !isClientSideNoise(`${t.template}\n${t.example}`),
  );
  const health: LogHealth = { analysis, errors, events, signals };
  if (dominant) health.dominant = dominant;

  // The most specific recurring class decides: a dependency failing (credentials refused, a name that
  // does not resolve) explains the full pool or the errors that follow it, so it is not "fatal" here.
  const decisive = signals.find(
    (s) => (FATAL_SIGNALS.has(s.kind) || DEPENDENCY_SIGNALS.has(s.kind)) && s.count >= MIN_REPEATS,
  );
  const fatal =
    decisive &&
    FATAL_SIGNALS.has(decisive.kind) &&
    decisive.count >= (MIN_REPEATS_OF[decisive.kind] ?? MIN_REPEATS)
      ? decisive
      : undefined;
  const serverErrors = analysis.endpoints.find(
    (e) => e.serverErrors >= MIN_SERVER_ERRORS && e.serverErrors / e.requests >= MIN_SERVER_ERROR_SHARE,
  );
  const slow = analysis.endpoints.find(
    (e) => e.slow >= MIN_SLOW && e.p95Ms !== undefined && e.p95Ms > SLOW_REQUEST_MS,
  );
  if (fatal) health.problem = { kind: 'fatal-class', signal: fatal };
  else if (serverErrors) health.problem = { kind: 'server-errors', endpoint: serverErrors };
  else if (slow) health.problem = { kind: 'latency', endpoint: slow };
  else if (
    dominant &&
    errors >= MIN_ERRORS &&
    errors / Math.max(1, events) >= MIN_ERROR_SHARE &&
    dominant.count >= Math.max(MIN_REPEATS, 3) &&
    isRecurringToTheEnd(dominant, analysis)
  )
    health.problem = { kind: 'error-rate', template: dominant };
  return health;
}

/** `"template" x12 between 09:41:02 and 09:59:58 UTC`: the quote a finding carries. */
export function quoteTemplate(t: LogTemplate): string {
  const text =
    t.example.length > MAX_TEMPLATE_CHARS ? `${t.example.slice(0, MAX_TEMPLATE_CHARS - 1)}…` : t.example;
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);
  const when =
    t.firstTime !== undefined && t.lastTime !== undefined
      ? t.firstTime === t.lastTime
        ? ` at ${time(t.firstTime)} UTC`
        : ` between ${time(t.firstTime)} and ${time(t.lastTime)} UTC`
      : '';
  return `"${text}" x${t.count}${when}`;
}

/** The time the log covers, `over 14m` or `in the last 200 lines`. */
export function windowOf(a: LogAnalysis): string {
  if (a.firstTime !== undefined && a.lastTime !== undefined && a.lastTime > a.firstTime) {
    const s = Math.round((a.lastTime - a.firstTime) / 1000);
    return s < 120
      ? `over ${s}s`
      : s < 7200
        ? `over ${Math.round(s / 60)}m`
        : `over ${Math.round(s / 3600)}h`;
  }
  return `in the last ${a.lines} lines`;
}

/**
 * What the log reading covered, for the diagnosis's "checked" list: an answer of "healthy" says how
 * many running containers' logs were read and found clean, and which logged errors below the alarm
 * thresholds (so a question about them is answered with what was seen, not a bare "healthy").
 */
export function logCoverage(l: Lookup): string[] {
  let running = 0;
  let read = 0;
  let lines = 0;
  const quiet: string[] = [];
  for (const pod of l.list('pods')) {
    if (pod.status?.phase !== 'Running') continue;
    const namespace = pod.metadata.namespace ?? 'default';
    for (const status of pod.status.containerStatuses ?? []) {
      if (!status.state?.running) continue;
      running++;
      const log = l.logsFor(namespace, pod.metadata.name, status.name).current;
      if (!log) continue;
      read++;
      lines += log.lines.length;
      const health = logHealth(log.lines, l.now);
      if (!health.problem && health.dominant && health.errors > 0 && quiet.length < 3)
        quiet.push(
          `${namespace}/${pod.metadata.name} (${status.name}): ${health.errors} error event(s), e.g. ${quoteTemplate(health.dominant)}`,
        );
    }
  }
  if (running === 0) return [];
  const out = [
    `application logs: ${read} of ${running} running container(s) read (${lines} lines) for error rates, 5xx, latency and fatal errors`,
  ];
  if (quiet.length) out.push(`logged errors below the alarm thresholds: ${quiet.join('; ')}`);
  return out;
}
