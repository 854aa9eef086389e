// The log model's entry point: one container's log tail (and optionally its previous container's)
// to events, severities, ranked templates with entities, per-endpoint request statistics and gaps.
// Pure and bounded (limits.ts); computed once per tail however many analyzers ask (memo on the array).
import { endpointOf, endpointStats } from './access';
import { emptyEntities, extractEntities } from './entities';
import { foldEvents, type RawLine } from './fold';
import { MAX_LINES, MAX_TEMPLATE_CHARS } from './limits';
import { compareTemplates, RECENT_FRACTION, templateScore } from './rank';
import { sanitizeLine } from './sanitize';
import { maxSeverity, severityRank } from './severity';
import { parseLine } from './shape';
import { TemplateMiner } from './template';
import {
  type AccessRecord,
  type LogAnalysis,
  type LogEntities,
  type LogEvent,
  type LogGaps,
  type LogSeverity,
  type LogTemplate,
} from './types';

export interface AnalyzeOptions {
  /** The previous container's log: templates absent from it are new. */
  previous?: readonly string[];
  /** Epoch ms of the capture: the year of klog's year-less timestamps. */
  reference?: number;
}

const TRACE_OPENER = /^(?:Traceback \(most recent call last\):|goroutine \d+ \[)/;

function clip(text: string): string {
  return text.length > MAX_TEMPLATE_CHARS ? `${text.slice(0, MAX_TEMPLATE_CHARS - 1)}…` : text;
}

/** What an event says, for templates, entities and classes: the head message and, if different, its summary. */
export function eventText(e: LogEvent): string {
  return e.summary !== e.message && !e.message.includes(e.summary) ? `${e.message}\n${e.summary}` : e.message;
}

/** The event quoted as a human would: its head line, and the line that says what went wrong. */
function eventExcerpt(e: LogEvent): string {
  const head = e.lines[0].trim();
  if (TRACE_OPENER.test(head)) return clip(e.summary.trim());
  return clip(e.summary !== e.message && !head.includes(e.summary) ? `${head} ⏎ ${e.summary.trim()}` : head);
}

function templateText(e: LogEvent): string {
  // A request is its endpoint and status, whatever else the access-log format carries.
  if (e.access) return `${e.access.method ?? ''} ${endpointOf(e.access.path)} ${e.access.status}`;
  return TRACE_OPENER.test(e.message) ? e.summary : e.message;
}

function emptyGaps(): LogGaps {
  return {
    binary: 0,
    invalidUtf8: 0,
    ansi: 0,
    clipped: 0,
    nonObjectJson: 0,
    droppedLines: 0,
    untemplated: 0,
  };
}

/** Sanitizes and parses the newest lines, folding them into events. */
export function eventsOf(
  lines: readonly string[],
  reference?: number,
): { events: LogEvent[]; gaps: LogGaps; bytes: number; formats: LogAnalysis['formats'] } {
  const gaps = emptyGaps();
  const start = Math.max(0, lines.length - MAX_LINES);
  gaps.droppedLines = start;
  const raw: RawLine[] = [];
  const formats: LogAnalysis['formats'] = {};
  let bytes = 0;
  for (let i = start; i < lines.length; i++) {
    const s = sanitizeLine(lines[i]);
    bytes += lines[i].length;
    if (s.ansi) gaps.ansi++;
    if (s.binary) gaps.binary++;
    if (s.invalidUtf8) gaps.invalidUtf8++;
    if (s.clipped) gaps.clipped++;
    const shape = parseLine(s.text, reference);
    if (shape.nonObjectJson) gaps.nonObjectJson++;
    const p = shape.line;
    formats[p.format] = (formats[p.format] ?? 0) + 1;
    raw.push({
      index: i,
      text: s.text,
      parsed: p,
      anchored: p.format !== 'plain' || p.time !== undefined || p.level !== undefined,
    });
  }
  return { events: foldEvents(raw), gaps, bytes, formats };
}

interface Acc {
  t: Omit<LogTemplate, 'score' | 'entities' | 'template' | 'isNew' | 'recentShare'>;
  recent: number;
  firstEvent: LogEvent;
  lastEvent: LogEvent;
}

function mine(events: LogEvent[], gaps: LogGaps, isRecent: (e: LogEvent) => boolean) {
  const miner = new TemplateMiner();
  const acc = new Map<number, Acc>();
  for (const e of events) {
    const id = miner.add(templateText(e), !!e.access);
    if (id < 0) {
      gaps.untemplated++;
      continue;
    }
    const a = acc.get(id);
    if (!a) {
      const t: Acc['t'] = {
        example: '',
        severity: e.severity,
        count: 1,
        firstIndex: e.index,
        lastIndex: e.index,
      };
      if (e.time !== undefined) t.firstTime = t.lastTime = e.time;
      acc.set(id, { t, recent: isRecent(e) ? 1 : 0, firstEvent: e, lastEvent: e });
      continue;
    }
    a.t.count++;
    a.t.severity = maxSeverity(a.t.severity, e.severity);
    a.t.lastIndex = e.index;
    if (e.time !== undefined) {
      a.t.firstTime ??= e.time;
      a.t.lastTime = e.time;
    }
    if (isRecent(e)) a.recent++;
    a.lastEvent = e;
  }
  return { miner, acc };
}

/** Template strings of a log, for "is this template new" against the previous container. */
function templateSet(lines: readonly string[], reference?: number): Set<string> {
  return new Set(analyzeLog(lines, { reference }).templates.map((t) => t.template));
}

/** Whether an event can carry a cause (see LogAnalysis.notable). */
function isNotable(e: LogEvent): boolean {
  if (e.severity === 'debug' || e.severity === 'trace') return false;
  return !(e.severity === 'info' && (e.stated || (e.access && e.access.status < 500)));
}

/** Templates below warning share one empty, frozen entity set: most templates of a healthy log. */
const NO_ENTITIES: LogEntities = Object.freeze({
  hosts: [],
  urls: [],
  dbCodes: [],
  http: [],
  durationsMs: [],
  files: [],
  configKeys: [],
}) as LogEntities;

const memo = new WeakMap<readonly string[], LogAnalysis>();

export function analyzeLog(lines: readonly string[], options: AnalyzeOptions = {}): LogAnalysis {
  const cached = options.previous ? undefined : memo.get(lines);
  if (cached) return cached;
  const { events, gaps, bytes, formats } = eventsOf(lines, options.reference);
  const severities: Record<LogSeverity, number> = {
    trace: 0,
    debug: 0,
    info: 0,
    warning: 0,
    error: 0,
    fatal: 0,
  };
  const access: AccessRecord[] = [];
  let firstTime: number | undefined;
  let lastTime: number | undefined;
  for (const e of events) {
    severities[e.severity]++;
    if (e.access) access.push(e.access);
    if (e.time !== undefined) {
      firstTime = firstTime === undefined ? e.time : Math.min(firstTime, e.time);
      lastTime = lastTime === undefined ? e.time : Math.max(lastTime, e.time);
    }
  }
  const span = firstTime !== undefined && lastTime !== undefined ? lastTime - firstTime : 0;
  const cutoffTime = lastTime !== undefined ? lastTime - span * RECENT_FRACTION : undefined;
  const cutoffIndex = lines.length - (lines.length - gaps.droppedLines) * RECENT_FRACTION;
  const isRecent = (e: LogEvent) =>
    span > 0 && e.time !== undefined && cutoffTime !== undefined
      ? e.time >= cutoffTime
      : e.index >= cutoffIndex;
  const { miner, acc } = mine(events, gaps, isRecent);

  const previous = options.previous?.length ? templateSet(options.previous, options.reference) : undefined;
  const half = gaps.droppedLines + (lines.length - gaps.droppedLines) / 2;
  const templates: LogTemplate[] = [];
  for (const [id, a] of acc) {
    const template = clip(miner.template(id));
    const base = {
      ...a.t,
      template,
      example: eventExcerpt(a.lastEvent),
      isNew: previous ? !previous.has(template) : a.t.firstIndex >= half,
      recentShare: a.recent / a.t.count,
    };
    let entities = NO_ENTITIES;
    if (severityRank(a.t.severity) >= severityRank('warning')) {
      entities = extractEntities(eventText(a.firstEvent), emptyEntities());
      if (a.lastEvent !== a.firstEvent) extractEntities(eventText(a.lastEvent), entities);
    }
    const template_: LogTemplate = { ...base, score: templateScore(base, lines.length), entities };
    if (a.firstEvent.access) template_.request = true;
    templates.push(template_);
  }
  templates.sort(compareTemplates);
  const analysis: LogAnalysis = {
    lines: lines.length,
    bytes,
    eventCount: events.length,
    notable: events.filter(isNotable),
    formats,
    severities,
    templates,
    endpoints: endpointStats(access),
    gaps,
  };
  if (firstTime !== undefined) analysis.firstTime = firstTime;
  if (lastTime !== undefined) analysis.lastTime = lastTime;
  if (!options.previous) memo.set(lines, analysis);
  return analysis;
}
