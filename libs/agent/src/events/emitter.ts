// Turns what the agent does into the contracts' StreamEvents for one thread. Every event of a turn
// goes through one TurnEmitter; a subagent gets a child emitter that stamps its role and the
// commander's tool_use id (`parent_tool_use_id`) on everything it emits.
import {
  makeEvent,
  type Finding,
  type Proposal,
  type StreamEvent,
  type StreamEventData,
  type StreamEventType,
} from '@foxhound/contracts';

/** Where events go: the executor's SSE sink, a test's array, the eval harness. */
export interface AgentEventSink {
  emit(event: StreamEvent): Promise<void> | void;
}

export interface EventOrigin {
  role: string;
  parentToolUseId?: string;
}

export class TurnEmitter {
  constructor(
    readonly threadId: string,
    private readonly sink: AgentEventSink,
    readonly origin: EventOrigin = { role: 'commander' },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** An emitter for a subagent started by the tool call `parentToolUseId`. */
  child(role: string, parentToolUseId: string): TurnEmitter {
    return new TurnEmitter(this.threadId, this.sink, { role, parentToolUseId }, this.clock);
  }

  async thought(text: string): Promise<void> {
    const trimmed = text.trim();
    if (trimmed.length === 0) return;
    await this.send('thought', { text: trimmed, ...this.stamp() });
  }

  async toolStart(data: Omit<StreamEventData<'tool_start'>, 'role' | 'parent_tool_use_id'>): Promise<void> {
    await this.send('tool_start', { ...data, ...this.stamp() });
  }

  async toolEnd(data: Omit<StreamEventData<'tool_end'>, 'role' | 'parent_tool_use_id'>): Promise<void> {
    await this.send('tool_end', { ...data, ...this.stamp() });
  }

  async finding(finding: Finding): Promise<void> {
    await this.send('finding', finding);
  }

  async proposal(proposal: Proposal): Promise<void> {
    await this.send('proposal', proposal);
  }

  async result(data: StreamEventData<'result'>): Promise<void> {
    await this.send('result', data);
  }

  async error(data: StreamEventData<'error'>): Promise<void> {
    await this.send('error', data);
  }

  private stamp(): { role: string; parent_tool_use_id?: string } {
    const { role, parentToolUseId } = this.origin;
    return parentToolUseId === undefined ? { role } : { role, parent_tool_use_id: parentToolUseId };
  }

  private async send<T extends StreamEventType>(type: T, data: StreamEventData<T>): Promise<void> {
    await this.sink.emit(makeEvent(type, data, this.threadId, this.clock()));
  }
}
