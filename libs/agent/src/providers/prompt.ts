// How a turn is put into words for a model: the role's system prompt (role text, the skill catalog,
// the enabled toolsets' notes; identical across turns so it can be cached), and the user message
// (the prompt, the alert, the caller's context and the scope).
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

export function userMessage(request: TurnRequest, scope: string[]): string {
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
  return parts.join('\n\n');
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
