// The log model's shapes: a parsed line, a folded event, a mined template, the entities an error
// names, the per-endpoint request statistics, the gaps met on the way, and the whole analysis.

export type LogFormat =
  | 'json'
  | 'logfmt'
  | 'klog'
  | 'spring'
  | 'uvicorn'
  | 'gunicorn'
  | 'ruby'
  | 'golog'
  | 'nginx'
  | 'access'
  | 'plain';

/** Ordered: a higher index is more severe. */
export const SEVERITIES = ['trace', 'debug', 'info', 'warning', 'error', 'fatal'] as const;
export type LogSeverity = (typeof SEVERITIES)[number];

/** One HTTP request as an access log (nginx, Envoy, uvicorn, gunicorn, JSON) records it. */
export interface AccessRecord {
  method?: string;
  path?: string;
  status: number;
  durationMs?: number;
}

export interface ParsedLine {
  format: LogFormat;
  /** The level the line states (`level`, `severity`, klog's letter, Spring's column), normalised. */
  level?: LogSeverity;
  /** Epoch ms of the line's own timestamp, when it has one. */
  time?: number;
  /** The human message: JSON `msg`/`message`, logfmt `msg`, the text after a framework prefix. */
  message: string;
  /** An error field of a structured line (`error`, `err`, `exception`, `stack_trace`). */
  error?: string;
  access?: AccessRecord;
}

/** One log event: a line, or a multi-line stack trace or traceback folded into the line that opened it. */
export interface LogEvent {
  /** Index of the event's first line in the tail. */
  index: number;
  /** How many raw lines the event spans. */
  lineCount: number;
  format: LogFormat;
  severity: LogSeverity;
  /** The head line stated its level (JSON, logfmt, klog, a framework prefix) rather than leaving it to the wording. */
  stated?: true;
  time?: number;
  /** The head line's message (with a structured error field appended). */
  message: string;
  /** The raw lines, bounded. */
  lines: string[];
  /** The line that says what went wrong: a traceback's last line, a Java trace's last "Caused by". */
  summary: string;
  access?: AccessRecord;
}

export interface LogEntities {
  hosts: { host: string; port?: number }[];
  urls: string[];
  /** SQLSTATE codes, ORA-/MySQL error numbers, Redis error prefixes, libpq phrases. */
  dbCodes: string[];
  http: { method?: string; path?: string; status?: number }[];
  durationsMs: number[];
  files: string[];
  /** Env var and configuration key names. */
  configKeys: string[];
  /** From a Kubernetes Forbidden message: who may not do what. */
  forbidden?: { user: string; verb: string; resource: string; group: string; namespace?: string };
}

export interface LogTemplate {
  /** Constant tokens with `<*>` for every variable one. */
  template: string;
  /** The newest event of the template, verbatim (bounded). */
  example: string;
  severity: LogSeverity;
  count: number;
  firstIndex: number;
  lastIndex: number;
  firstTime?: number;
  lastTime?: number;
  /** Absent from the previous container's log and from the older part of this one. */
  isNew: boolean;
  /** Share of its occurrences in the newest fifth of the log (1 = all of them). */
  recentShare: number;
  score: number;
  entities: LogEntities;
  /** The template is an HTTP request (`method endpoint status`) from an access record. */
  request?: true;
}

export interface EndpointStats {
  method?: string;
  path: string;
  requests: number;
  serverErrors: number;
  /** Requests slower than the slow threshold. */
  slow: number;
  p95Ms?: number;
  maxMs?: number;
}

export interface LogGaps {
  /** Lines with NUL or other control bytes (binary output). */
  binary: number;
  /** Lines with U+FFFD, where the bytes were not valid UTF-8. */
  invalidUtf8: number;
  /** Lines whose ANSI colour codes were stripped. */
  ansi: number;
  /** Lines longer than the per-line bound, read on their head only. */
  clipped: number;
  /** Lines that are valid JSON but not an object (an array, a string, a number). */
  nonObjectJson: number;
  /** Older lines not read because the tail is longer than the line bound. */
  droppedLines: number;
  /** Events beyond the template bound, counted but not mined. */
  untemplated: number;
}

export interface LogAnalysis {
  lines: number;
  bytes: number;
  /** How many events the lines folded into. */
  eventCount: number;
  /**
   * The events a cause could hide in, in order: everything but debug and trace, lines that state they
   * are informational, and requests answered below 500 (kept out to bound memory on healthy logs).
   */
  notable: LogEvent[];
  formats: Partial<Record<LogFormat, number>>;
  severities: Record<LogSeverity, number>;
  /** Ranked: errors first, then by score. */
  templates: LogTemplate[];
  endpoints: EndpointStats[];
  firstTime?: number;
  lastTime?: number;
  gaps: LogGaps;
}
