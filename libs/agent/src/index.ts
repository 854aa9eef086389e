// @foxhound/agent: the investigation engine. Model providers (Claude through @anthropic-ai/sdk, and
// a deterministic offline engine over @foxhound/diagnostics) behind one interface, read-only tools
// with budgets and role allow-lists, methodology skills loaded on demand, typed remediation
// proposals, and the engine that runs one turn and streams the contracts' events.
export {
  createEngine,
  resolveScope,
  TurnInterrupted,
  type AgentLogger,
  type Engine,
  type EngineOptions,
  type TurnOutput,
  type TurnSubtype,
} from './engine';
export { TurnEmitter, type AgentEventSink, type EventOrigin } from './events/emitter';
export { DEFAULT_LIMITS, LimitExceededError, TurnBudget, type TurnLimits } from './limits';
export {
  ClusterReadError,
  isForbidden,
  type ClusterReader,
  type DryRunRequest,
  type ListOptions,
  type LogOptions,
} from './cluster/reader';
export { memoizeReader } from './cluster/memo';
export { kubeReader, type KubeReaderOptions } from './cluster/kube-reader';
export { snapshotReader } from './cluster/snapshot-reader';
export { createAgent, type Agent, type AgentOptions } from './agent';
export { McpServerConfigSchema, type McpServerConfig } from './tools/mcp/mcp-toolset';
export {
  agentEvalEngine,
  offlineAgentEngine,
  type AgentEvalAnswer,
  type AgentEvalEngine,
  type AgentEvalInput,
  type AgentEvalOptions,
  type AgentFollowUpInput,
  type AgentRunTrace,
} from './eval-engine';
export { OpenAIProvider, type OpenAIProviderOptions, type MaxTokensParam } from './providers/openai';
export { OfflineProvider, OFFLINE_MODEL } from './providers/offline';
export { allToolsets, type ToolsetOptions } from './tools/toolsets';
export {
  AnthropicProvider,
  DEFAULT_ANTHROPIC_MODEL,
  type AnthropicProviderOptions,
} from './providers/anthropic';
export { costUsd, priceOf, weightedInputTokens } from './providers/pricing';
export { EFFORTS, modelTraits, type Effort, type ModelTraits } from './providers/models';
export {
  ProviderError,
  type ModelProvider,
  type ProviderContext,
  type ProviderOutcome,
  type TurnRequest,
} from './providers/types';
export { commander, investigator, logAnalyst, remediator, ROLES, SUBAGENT_ROLES } from './roles/roles';
export { type RoleDefinition, type RoleId } from './roles/types';
export { loadSkillLibrary, type SkillEntry, type SkillLibrary } from './skills/library';
export { skillsToolset } from './skills/fetch-skill';
export { type ToolContext, TurnState } from './tools/context';
export { defineTool, type AnyTool, type ToolDefinition, type ToolResult } from './tools/define';
export {
  ToolRegistry,
  type RegistryOptions,
  type ToolCall,
  type ToolOutcome,
  type Toolset,
  type ToolsetStatus,
} from './tools/registry';
export { reportToolset } from './tools/report/submit-report';
export { renderReport } from './report/markdown';
export {
  startFakeAnthropic,
  say,
  callTool,
  type FakeAnthropic,
  type FakeAnthropicOptions,
  type FakeBlock,
  type FakeStep,
  type RecordedExchange,
  type RecordedRequest,
} from './testing/fake-anthropic';
