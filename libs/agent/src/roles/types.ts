// A role of the four-agent design: who it is (its system prompt), what the commander is told about
// it, and the only tools it may call. The registry refuses, visibly, any call outside the list.
export type RoleId = 'commander' | 'investigator' | 'log_analyst' | 'remediator';

export interface RoleDefinition {
  id: RoleId;
  title: string;
  /** Shown to the commander as the subagent tool's description. */
  description: string;
  /** The role's system prompt (markdown). */
  prompt: string;
  /** Tool allow-list. */
  tools: readonly string[];
  /** Skills the role is pointed at in its prompt; it still fetches them on demand. */
  skills: readonly string[];
}
