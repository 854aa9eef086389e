// Assembles an agent from a cluster reader and a configuration: skills, toolsets (prerequisites
// checked once, any tool an ablation leaves out removed), the chosen provider, the offline engine as
// its fallback only when asked for, and the engine. The executor, the eval adapter and the
// benchmark all build their agent here.
import { type ClusterReader } from './cluster/reader';
import { createEngine, type AgentLogger, type Engine } from './engine';
import { DEFAULT_LIMITS, type TurnLimits } from './limits';
import { AnthropicProvider, type AnthropicProviderOptions } from './providers/anthropic';
import { OfflineProvider } from './providers/offline';
import { OpenAIProvider, type OpenAIProviderOptions } from './providers/openai';
import { modelTraits } from './providers/models';
import { priceOf } from './providers/pricing';
import { type ModelProvider } from './providers/types';
import { loadSkillLibrary } from './skills/library';
import { ToolRegistry, type RegistryOptions, type ToolsetStatus } from './tools/registry';
import { mcpToolsets, type McpServerConfig } from './tools/mcp/mcp-toolset';
import { allToolsets } from './tools/toolsets';

export interface AgentOptions {
  cluster: ClusterReader;
  provider: 'anthropic' | 'openai' | 'offline';
  /** Required for the anthropic provider. */
  anthropic?: AnthropicProviderOptions;
  /** Required for the openai provider (any server that speaks the Chat Completions API). */
  openai?: OpenAIProviderOptions;
  /**
   * `offline`: when the model API fails for good, the offline engine finishes the turn, announced
   * in the stream and the report. Unset: the turn ends with an `error` event saying why.
   */
  fallback?: 'offline';
  prometheusUrl?: string;
  fetch?: typeof fetch;
  /** MCP servers whose allow-listed tools join the registry (unreachable ones start failed). */
  mcpServers?: McpServerConfig[];
  /** Image registry hosts the registry_tags tool may ask (read-only); none leaves it off. */
  registryHosts?: string[];
  limits?: Partial<TurnLimits>;
  /** Scope when a request names no namespace. */
  defaultNamespaces?: string[];
  logger?: AgentLogger;
  onToolCall?: RegistryOptions['onCall'];
  now?: () => Date;
  /** Tools left out of every role (an ablation: the eval measures the agent without, e.g., run_diagnostics). */
  withoutTools?: string[];
}

export interface Agent {
  engine: Engine;
  registry: ToolRegistry;
  toolsets: ToolsetStatus[];
  /** Closes connections the toolsets hold (MCP servers). */
  close(): Promise<void>;
}

export async function createAgent(options: AgentOptions): Promise<Agent> {
  const skills = loadSkillLibrary();
  const left = new Set(options.withoutTools ?? []);
  const builtIn = allToolsets({
    skills,
    prometheusUrl: options.prometheusUrl,
    fetch: options.fetch,
    registryHosts: options.registryHosts,
  });
  const mcp = await mcpToolsets(options.mcpServers ?? []);
  const toolsets = [...builtIn, ...mcp.toolsets].map((t) =>
    left.size ? { ...t, tools: t.tools.filter((tool) => !left.has(tool.name)) } : t,
  );
  const registry = await ToolRegistry.create(toolsets, {
    onCall: options.onToolCall,
  });
  for (const status of registry.statuses) {
    const line = {
      toolset: status.name,
      status: status.status,
      reason: status.reason,
      tools: status.tools.length,
    };
    if (status.status === 'failed') options.logger?.warn(line, 'toolset failed its prerequisite');
    else options.logger?.info(line, `toolset ${status.status}`);
  }
  const offline = new OfflineProvider();
  let provider: ModelProvider = offline;
  if (options.provider === 'anthropic') {
    if (!options.anthropic) throw new Error('the anthropic provider needs its options (an API key)');
    provider = new AnthropicProvider(options.anthropic);
    if (!priceOf(provider.model))
      options.logger?.warn(
        { model: provider.model },
        'no price on file for this model: cost accounting reads 0',
      );
    if (options.anthropic.effort && !modelTraits(provider.model).effort)
      options.logger?.warn(
        { model: provider.model, effort: options.anthropic.effort },
        'this model does not take an effort level: ANTHROPIC_EFFORT is not sent',
      );
  }
  if (options.provider === 'openai') {
    if (!options.openai) throw new Error('the openai provider needs its options (a base URL and a model)');
    provider = new OpenAIProvider(options.openai);
    if (!priceOf(provider.model))
      options.logger?.info(
        { model: provider.model },
        'no price on file for this model: cost accounting reads 0 (tokens are still counted)',
      );
  }
  const engine = createEngine({
    provider,
    fallback: provider !== offline && options.fallback === 'offline' ? offline : undefined,
    registry,
    cluster: options.cluster,
    skills,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    defaultNamespaces: options.defaultNamespaces,
    logger: options.logger,
    now: options.now,
  });
  return { engine, registry, toolsets: registry.statuses, close: mcp.close };
}
