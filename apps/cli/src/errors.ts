// One error type for everything a command reports: a one-line message and the exit code it maps to.
// main.ts prints `foxhound: <message>` and exits with the code; nothing else prints errors.
import { EXIT, type ExitCode } from './exit-codes';

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

/** The message of anything thrown, on one line. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s+/g, ' ').trim();
}
