// The exit codes of every foxhound command, documented in the README's CLI section. Scripts branch on
// these, so a number never changes meaning.
export const EXIT = {
  /** Done; an investigation completed, an action reached the state asked for. */
  ok: 0,
  /** The work ran but ended badly: the investigation failed, the action failed or was rejected. */
  failed: 1,
  /** Bad usage or input: an unknown flag, a missing argument, an unreadable file. */
  usage: 2,
  /** The gateway (or cluster) could not be reached, or stopped answering. */
  unreachable: 3,
  /** The credential was refused (401) or lacks the role (403). */
  auth: 4,
  /** What was named does not exist (404). */
  notFound: 5,
  /** The server answered with an error of its own (5xx, a conflict, a malformed answer). */
  server: 6,
  /** Interrupted by Ctrl+C. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
