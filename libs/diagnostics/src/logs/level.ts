// Level names as loggers spell them (syslog, log4j/logback, Python logging, zap, logrus, pino/bunyan
// numbers, klog letters, .NET) normalised to the model's severities.
import { type LogSeverity } from './types';

const NAMES: Record<string, LogSeverity> = {
  trace: 'trace',
  finest: 'trace',
  finer: 'trace',
  verbose: 'trace',
  debug: 'debug',
  dbug: 'debug',
  fine: 'debug',
  config: 'debug',
  d: 'debug',
  info: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  i: 'info',
  inf: 'info',
  warn: 'warning',
  warning: 'warning',
  wrn: 'warning',
  w: 'warning',
  error: 'error',
  err: 'error',
  e: 'error',
  eror: 'error',
  severe: 'error',
  fail: 'error',
  critical: 'fatal',
  crit: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  fatal: 'fatal',
  ftl: 'fatal',
  f: 'fatal',
  panic: 'fatal',
  dpanic: 'fatal',
};

/** A level name or pino/bunyan number (10 trace … 60 fatal), or undefined when it is not a level. */
export function normalizeLevel(value: unknown): LogSeverity | undefined {
  if (typeof value === 'number') {
    if (value >= 60) return 'fatal';
    if (value >= 50) return 'error';
    if (value >= 40) return 'warning';
    if (value >= 30) return 'info';
    if (value >= 20) return 'debug';
    return value >= 10 ? 'trace' : undefined;
  }
  if (typeof value !== 'string' || value.length > 16) return undefined;
  return NAMES[value.trim().toLowerCase()];
}
