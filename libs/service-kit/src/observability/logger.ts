// Structured JSON logs (pino). Redaction lives here so no call site has to remember it: credentials
// in headers and any field named like a secret are replaced before a line is written, and message
// text goes through the same redactor that cleans cluster data (redact.ts), so a connection string
// or token quoted in a message is not written either.
import pino, { type DestinationStream, type Logger } from 'pino';
import { createRedactor } from './redact';

export type { Logger };

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.token',
  '*.password',
  '*.secret',
  '*.authorization',
];

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

const redactor = createRedactor();

export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  return pino(
    {
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg: unknown) => (typeof arg === 'string' ? redactor.text(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
