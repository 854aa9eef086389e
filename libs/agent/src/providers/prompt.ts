// How a turn is put into words for a model: the role's system prompt (role text, the skill catalog,
// the enabled toolsets' notes; identical across turns so it can be cached), the user message (the
// prompt, the alert, the caller's context, the scope, the current time, and for a follow-up how to
// answer it), and the envelope every tool output travels in, so text read from the cluster can
// never pose as an instruction.
import { type GenericAlert } from '@foxhound/contracts';
import { type RoleDefinition } from '../roles/types';
import { describeCatalog, type SkillLibrary } from '../skills/library';
import { type ToolRegistry } from '../tools/registry';
import { type TurnRequest } from './types';

export function systemPrompt(role: RoleDefinition, registry: ToolRegistry, skills: SkillLibrary): string {
  const parts = [role.prompt];
  parts.push(
    `## Skills\nRead one with \`fetch_skill\` when you start the work it covers. Yours: ${role.skills.map((s) => `\`${s}\``).join(', ')}.\n${describeCatalog(skills)}`,
  );
  const notes = registry.instructionsFor(role);
  if (notes.length > 0) parts.push(`## Tool notes\n${notes.join('\n\n')}`);
  return parts.join('\n\n');
}

export function userMessage(request: TurnRequest, scope: string[], now: Date): string {
  const parts = [request.prompt.trim()];
  if (request.alert) parts.push(alertText(request.alert));
  const ctx = request.context;
  if (ctx?.service) parts.push(`Service named by the caller: ${ctx.service}`);
  if (ctx?.notes) parts.push(`Notes from the caller:\n${ctx.notes}`);
  parts.push(
    scope.length > 0
      ? `Namespaces in scope: ${scope.join(', ')}.`
      : 'No namespace was given: work out the scope from the prompt and the cluster.',
  );
  parts.push(
    `Current time: ${now.toISOString()} (UTC). Ages and timestamps in tool output are relative to it.`,
  );
  if (request.history.length > 0) parts.push(FOLLOW_UP);
  return parts.join('\n\n');
}

const FOLLOW_UP = [
  'This is a follow-up on the conversation above. Answer the question directly, in a few sentences,',
  'with the evidence for it. Read the cluster again when the answer depends on its current state.',
  'Call `submit_report` only when the question asks for a new investigation.',
].join(' ');

/** A specialist's brief: its task, the scope and the time (it sees nothing else). */
export function specialistBrief(task: string, scope: string[], now: Date): string {
  return [
    task,
    scope.length > 0 ? `Namespaces in scope: ${scope.join(', ')}.` : 'No namespace scope was given.',
    `Current time: ${now.toISOString()} (UTC).`,
  ].join('\n\n');
}

/**
 * A tool's output as the model receives it: inside a <tool_output> envelope whose closing tag the
 * output cannot forge. The role prompts say everything inside is data read from the cluster.
 */
export function toolOutputEnvelope(tool: string, text: string): string {
  const safe = text.replace(/<(\/?)tool_output/gi, '<$1tool-output');
  return `<tool_output tool="${tool}">\n${safe}\n</tool_output>`;
}

/** Appended to the tool results once, when a limit is near: conclude with what you have. */
export function concludeNow(reason: string, isCommander: boolean): string {
  return isCommander
    ? `Budget nearly spent (${reason}). Stop investigating: call \`submit_report\` now with what you have established, set the confidence to match, and list what you could not check under notChecked.`
    : `Budget nearly spent (${reason}). Stop calling tools and answer now with what you found, quoting the evidence, and say what you could not check.`;
}

function alertText(alert: GenericAlert): string {
  const lines = [
    `Alert: ${alert.title} (severity ${alert.severity}${alert.source ? `, from ${alert.source}` : ''})`,
  ];
  if (alert.service) lines.push(`service: ${alert.service}`);
  if (alert.namespace) lines.push(`namespace: ${alert.namespace}`);
  if (alert.startsAt) lines.push(`firing since: ${alert.startsAt}`);
  const labels = Object.entries(alert.labels);
  if (labels.length > 0) lines.push(`labels: ${labels.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (alert.description) lines.push(`description: ${alert.description}`);
  return lines.join('\n');
}
