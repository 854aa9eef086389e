// What a declared-behaviour container does, as a small program the runner steps through: write a
// log line, sleep, create or remove a file, start listening on a port, use memory, exit. A shell
// script, an image's default command or a catalogued binary all compile to this. Pure types.

export type Step =
  | { op: 'log'; line: string }
  | { op: 'sleep'; seconds: number }
  | { op: 'file'; path: string; content?: string }
  | { op: 'unlink'; path: string }
  | { op: 'listen'; port: number }
  | { op: 'memory'; bytes: number }
  | { op: 'exit'; code: number }
  /** Runs `body` again and again (`while true; do ...; done`), forever. */
  | { op: 'loop'; body: Step[] };

/** A container that could not start at all: the runtime's error, exit code 128 (StartError). */
export interface StartFailure {
  startError: string;
}

export type Program = Step[] | StartFailure;

export const isStartFailure = (p: Program): p is StartFailure => !Array.isArray(p);

/** Waits forever: what a server or `sleep infinity` does once started. */
export const FOREVER: Step = { op: 'sleep', seconds: Number.POSITIVE_INFINITY };
