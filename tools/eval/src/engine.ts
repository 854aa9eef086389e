// The engine contract every investigator implements to be scored: given a kubeconfig for a cluster
// (kube-sim during evaluation), an optional Prometheus URL and the question (scope, prompt or
// alert), answer the first turn with the contracts' InvestigationReport, then each follow-up on the
// same thread. Engines see the question only: `questionOf()` builds it from the manifest, so a
// scenario's title, description, expectations and sources never reach one.
import {
  type HistoryTurn,
  type InvestigationReport,
  type Proposal,
  type ScenarioManifest,
  type ScenarioQuestion,
  type Usage,
} from '@foxhound/contracts';

export interface EngineInput {
  /** A kubeconfig object as `KubeConfig.loadFromOptions()` takes it. */
  kubeconfig: unknown;
  prometheusUrl?: string;
  /** The thread this case runs on: the same for the first turn and every follow-up. */
  threadId: string;
  question: ScenarioQuestion;
}

export interface FollowUpInput extends EngineInput {
  prompt: string;
  /** The thread's earlier exchanges, oldest first, built with `historyExchange()`. */
  history: HistoryTurn[];
}

/** What a model-driven run did, read from the events it streamed (absent for engines without a model). */
export interface RunTrace {
  /** The model wrote the report (false: the turn fell back to the offline engine, or ended without one). */
  modelAuthored: boolean;
  provider: string;
  model?: string;
  subtype: string;
  /** Tool calls by tool name, subagents included. */
  toolCalls: Record<string, number>;
  usage: Usage;
  /** Every tool output of the run, for the grounding rate. */
  toolOutputs: string[];
}

export interface EngineAnswer {
  /** The answer as the user reads it (markdown): what the thread's history keeps. */
  text: string;
  /** The structured report; the first turn must have one. */
  report?: InvestigationReport;
  /** Proposals this turn recorded. */
  proposals: Proposal[];
  trace?: RunTrace;
}

export interface Engine {
  name: string;
  investigate(input: EngineInput): Promise<EngineAnswer>;
  followUp(input: FollowUpInput): Promise<EngineAnswer>;
}

/** The only part of a scenario an engine may see: its scope and the question or alert. */
export function questionOf(manifest: ScenarioManifest): ScenarioQuestion {
  return {
    namespaces: [...manifest.namespaces],
    ...(manifest.prompt !== undefined ? { prompt: manifest.prompt } : {}),
    ...(manifest.alert !== undefined ? { alert: structuredClone(manifest.alert) } : {}),
  };
}

/** What the on-call engineer said or the alert said, as one text: the prompt engines start from. */
export function promptOf(question: ScenarioQuestion): string {
  if (question.prompt) return question.prompt;
  const a = question.alert!;
  return [a.title, a.service, a.description].filter(Boolean).join(' — ');
}
