// The agent as an engine of the eval harness (tools/eval): structurally its `Engine` (name,
// investigate, followUp), declared here so this library does not depend on a tool. It runs the
// whole agent (roles, tools, proposals) over the scenario's cluster through the real Kubernetes
// client, one thread per case: follow-ups run on the same thread id with the history the harness
// hands in, as the executor runs them. What the run did (tool calls, outputs, usage, which provider
// wrote the answer) is read from the events the agent streams, the same events a client sees.
import {
  type GenericAlert,
  type HistoryTurn,
  type InvestigationReport,
  type Proposal,
  type StreamEvent,
  type Usage,
} from '@foxhound/contracts';
import { createKubeClient } from '@foxhound/kube';
import { createAgent } from './agent';
import { kubeReader } from './cluster/kube-reader';
import { type TurnLimits } from './limits';
import { type AnthropicProviderOptions } from './providers/anthropic';

export interface AgentEvalInput {
  kubeconfig: unknown;
  prometheusUrl?: string;
  threadId: string;
  /** The scope and the question only: the harness never hands an engine a scenario's title or answer. */
  question: { namespaces: string[]; prompt?: string; alert?: GenericAlert };
}

export interface AgentFollowUpInput extends AgentEvalInput {
  prompt: string;
  history: HistoryTurn[];
}

export interface AgentRunTrace {
  modelAuthored: boolean;
  provider: string;
  model?: string;
  subtype: string;
  toolCalls: Record<string, number>;
  usage: Usage;
  toolOutputs: string[];
}

export interface AgentEvalAnswer {
  text: string;
  report?: InvestigationReport;
  proposals: Proposal[];
  trace: AgentRunTrace;
}

export interface AgentEvalEngine {
  name: string;
  investigate(input: AgentEvalInput): Promise<AgentEvalAnswer>;
  followUp(input: AgentFollowUpInput): Promise<AgentEvalAnswer>;
}

export interface AgentEvalOptions {
  name: string;
  provider: 'offline' | 'anthropic';
  anthropic?: AnthropicProviderOptions;
  /** Tools the agent runs without (an ablation). */
  withoutTools?: string[];
  limits?: Partial<TurnLimits>;
}

/**
 * An eval engine over the agent. With the anthropic provider, an answer the offline fallback wrote
 * (the model call failed) is an error, never a pass: the harness scores the model or nothing.
 */
export function agentEvalEngine(options: AgentEvalOptions): AgentEvalEngine {
  const turn = async (input: AgentEvalInput, prompt: string, history: HistoryTurn[]) => {
    const client = createKubeClient({ from: 'object', config: input.kubeconfig });
    const { engine } = await createAgent({
      cluster: kubeReader(client, { prometheusUrl: input.prometheusUrl }),
      provider: options.provider,
      anthropic: options.anthropic,
      prometheusUrl: input.prometheusUrl,
      withoutTools: options.withoutTools,
      limits: options.limits,
    });
    const events: StreamEvent[] = [];
    const output = await engine.runTurn(
      {
        threadId: input.threadId,
        prompt,
        alert: history.length ? undefined : input.question.alert,
        context: { namespaces: input.question.namespaces },
        history,
      },
      { emit: (e) => void events.push(e) },
      new AbortController().signal,
    );
    const trace = traceOf(events, output.provider, output.subtype, output.usage);
    if (options.provider !== 'offline' && output.provider !== options.provider)
      throw new Error(
        `the ${options.provider} provider did not answer (the ${output.provider} fallback did): ${fallbackReason(events)}`,
      );
    if (output.subtype === 'error')
      throw new Error(`the agent ended with an error: ${output.text.slice(0, 300)}`);
    return {
      text: output.text,
      ...(output.report ? { report: output.report } : {}),
      proposals: events.flatMap((e) => (e.type === 'proposal' ? [e.data] : [])),
      trace: { ...trace, modelAuthored: options.provider !== 'offline' && !!output.report },
    };
  };
  return {
    name: options.name,
    async investigate(input) {
      const answer = await turn(input, input.question.prompt ?? alertPrompt(input.question.alert), []);
      if (!answer.report)
        throw new Error(
          `the agent ended with ${answer.trace.subtype} and no report: ${answer.text.slice(0, 300)}`,
        );
      return answer;
    },
    followUp: (input) => turn(input, input.prompt, input.history),
  };
}

/** The offline agent: what every zero-egress install runs. */
export const offlineAgentEngine: AgentEvalEngine = agentEvalEngine({
  name: 'agent-offline',
  provider: 'offline',
});

function alertPrompt(alert: GenericAlert | undefined): string {
  if (!alert) throw new Error('a question needs a prompt or an alert');
  return [alert.title, alert.service, alert.description].filter(Boolean).join(' — ');
}

function traceOf(events: StreamEvent[], provider: string, subtype: string, usage: Usage): AgentRunTrace {
  const toolCalls: Record<string, number> = {};
  const toolOutputs: string[] = [];
  let model: string | undefined;
  // What a client sees: the result event's usage, the turn's own count when no result was streamed.
  let streamed: Usage | undefined;
  for (const e of events) {
    if (e.type === 'tool_end') {
      toolCalls[e.data.name] = (toolCalls[e.data.name] ?? 0) + 1;
      if (e.data.output) toolOutputs.push(e.data.output);
    } else if (e.type === 'result') {
      model = e.data.model;
      streamed = e.data.usage;
    }
  }
  return {
    modelAuthored: false,
    provider,
    model,
    subtype,
    toolCalls,
    usage: { ...(streamed ?? usage) },
    toolOutputs,
  };
}

/** The thought the engine streams when it falls back names the model error. */
function fallbackReason(events: StreamEvent[]): string {
  const said = events.find((e) => e.type === 'thought' && /Continuing with the/.test(e.data.text));
  return said?.type === 'thought' ? said.data.text : 'no reason given';
}
