// The shape of one log class pattern: the class, the expression, and what it captures (env var,
// command, host, port). Shared by the runtime catalog and the server catalog.
import { type LogSignal, type LogSignalKind } from './logs';

export type Extract = (m: RegExpExecArray, line: string) => Partial<LogSignal>;

export interface Pattern {
  kind: LogSignalKind;
  re: RegExp;
  extract?: Extract;
}

/** The first group is the subject (the env var, command, file). */
export const subject: Extract = (m) => ({ subject: m[1] });
