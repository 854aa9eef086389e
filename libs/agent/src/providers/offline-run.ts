// The offline engine's moves, shared by its plans: a tool call through the registry as one role, a
// specialist run as a stage (its events carry the delegation's tool_use id), a step of the turn
// budget, and the report submitted at the end. Every read a plan makes goes through here, so the
// stream shows it and the narration can only quote reads that happened.
import { type TurnEmitter } from '../events/emitter';
import { type ReportDraft } from '../report/draft';
import { commander } from '../roles/roles';
import { type RoleDefinition } from '../roles/types';
import { type ToolOutcome } from '../tools/registry';
import { type ProviderContext, type ProviderOutcome, type TurnRequest } from './types';

export class OfflineRun {
  private calls = 0;

  constructor(
    readonly request: TurnRequest,
    readonly ctx: ProviderContext,
  ) {}

  get lead(): TurnEmitter {
    return this.ctx.tools.emitter;
  }

  /** One step of the method: counts against the turn limit like a model turn does. */
  step(): void {
    this.ctx.budget.startTurn();
  }

  call<D = unknown>(
    role: RoleDefinition,
    emitter: TurnEmitter,
    name: string,
    input: Record<string, unknown>,
  ): Promise<ToolOutcome<D>> {
    return this.ctx.registry.invoke<D>(
      { name, input, toolUseId: this.nextId(), role },
      { ...this.ctx.tools, emitter },
    );
  }

  /** Runs a specialist as a stage: its events carry the delegation's tool_use id. */
  async delegate(
    role: RoleDefinition,
    task: string,
    work: (emitter: TurnEmitter) => Promise<string>,
  ): Promise<string> {
    const id = this.nextId();
    await this.lead.toolStart({
      name: role.id,
      tool_use_id: id,
      input: { task },
      summary: `Asking the ${role.title}: ${task}`,
    });
    const answer = await work(this.lead.child(role.id, id));
    await this.lead.toolEnd({
      name: role.id,
      tool_use_id: id,
      success: true,
      status: 'success',
      summary: `The ${role.title} answered`,
      output: answer,
    });
    return answer;
  }

  /** Phase 5 of every plan: the draft goes through submit_report like the model's would. */
  async conclude(draft: ReportDraft): Promise<ProviderOutcome> {
    this.step();
    await this.lead.thought(`Phase 5, conclude: ${draft.answer ?? draft.rootCause}`.slice(0, 2000));
    await this.call(commander, this.lead, 'submit_report', draft);
    return { text: draft.answer ?? draft.summary };
  }

  private nextId(): string {
    this.calls += 1;
    return `offline_${String(this.calls).padStart(3, '0')}`;
  }
}

export const firstLine = (text: string): string => (text.trim().split('\n')[0] ?? '').slice(0, 300);
export const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
