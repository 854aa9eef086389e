// Wires the executor from its configuration, in order: metrics, the Kubernetes reader (the pod's
// read-only ServiceAccount, or KUBECONFIG), the agent (toolsets checked once, the chosen provider
// with its model settings, the offline engine as fallback only when EXECUTOR_FALLBACK asks for it),
// conversation state, the HTTP app and the server.
import { createAgent, kubeReader, TurnInterrupted } from '@foxhound/agent';
import { createKubeClient, type KubeconfigSource } from '@foxhound/kube';
import { DrainController, type Logger, type RunningServer, startServer } from '@foxhound/service-kit';
import { chosenProvider, type ExecutorConfig } from './config/schema';
import { createExecutorMetrics, type ExecutorMetrics } from './observability/metrics';
import { createExecutorApp } from './server/app';
import { ThreadStore } from './sessions/threads';

export interface RunningExecutor {
  server: RunningServer;
  metrics: ExecutorMetrics;
  threads: ThreadStore;
  shutdown(): Promise<void>;
}

export interface StartOptions {
  /** Interval of SSE heartbeat comments (default 15 s). */
  heartbeatMs?: number;
}

export async function startExecutor(
  config: ExecutorConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningExecutor> {
  // 1. Metrics.
  const metrics = createExecutorMetrics();

  // 2. Kubernetes, read-only: in a sandbox, the pod's ServiceAccount; elsewhere KUBECONFIG.
  const source: KubeconfigSource = config.KUBECONFIG
    ? { from: 'file', path: config.KUBECONFIG }
    : { from: 'default' };
  const client = createKubeClient(source);
  logger.info({ server: client.server }, 'kubernetes client ready');

  // 3. The agent.
  const provider = chosenProvider(config);
  const agent = await createAgent({
    cluster: kubeReader(client, { prometheusUrl: config.PROMETHEUS_URL }),
    provider,
    ...(provider === 'anthropic'
      ? {
          anthropic: {
            apiKey: config.ANTHROPIC_API_KEY!,
            model: config.ANTHROPIC_MODEL,
            baseURL: config.ANTHROPIC_BASE_URL,
            effort: config.ANTHROPIC_EFFORT,
            maxTokensPerCall: config.ANTHROPIC_MAX_TOKENS_PER_CALL,
          },
        }
      : {}),
    ...(provider === 'openai'
      ? {
          openai: {
            baseURL: config.OPENAI_BASE_URL!,
            model: config.OPENAI_MODEL!,
            apiKey: config.OPENAI_API_KEY,
            maxTokensPerCall: config.OPENAI_MAX_TOKENS_PER_CALL,
            maxTokensParam: config.OPENAI_MAX_TOKENS_PARAM,
          },
        }
      : {}),
    ...(provider !== 'offline' && config.EXECUTOR_FALLBACK === 'offline'
      ? { fallback: 'offline' as const }
      : {}),
    prometheusUrl: config.PROMETHEUS_URL,
    mcpServers: config.EXECUTOR_MCP_SERVERS,
    registryHosts: config.EXECUTOR_REGISTRY_HOSTS,
    limits: {
      maxTurns: config.EXECUTOR_MAX_TURNS,
      maxTokens: config.EXECUTOR_MAX_TOKENS,
      timeoutMs: config.EXECUTOR_TURN_TIMEOUT_SECONDS * 1000,
      maxPromptChars: config.EXECUTOR_MAX_PROMPT_CHARS,
      toolTimeoutMs: config.EXECUTOR_TOOL_TIMEOUT_SECONDS * 1000,
    },
    defaultNamespaces: config.EXECUTOR_NAMESPACES,
    logger,
    onToolCall: ({ tool, status, durationMs }) => {
      metrics.toolCalls.inc({ tool, status });
      metrics.toolDuration.observe({ tool }, durationMs / 1000);
    },
  });
  const { engine } = agent;
  logger.info({ provider, model: engine.provider.model }, 'agent ready');

  // 4. Conversation state: history is kept within half the prompt budget, so follow-ups fit.
  const threads = new ThreadStore({ historyBudgetChars: Math.floor(config.EXECUTOR_MAX_PROMPT_CHARS / 2) });

  // 5. HTTP.
  const drain = new DrainController();
  const { app } = createExecutorApp({
    engine,
    threads,
    metrics,
    drain,
    logger,
    heartbeatMs: options.heartbeatMs,
  });
  const server = await startServer(app, { port: config.PORT, host: config.HOST, logger, drain });
  logger.info({ url: server.url }, 'executor listening');

  return {
    server,
    metrics,
    threads,
    shutdown: async () => {
      // Turns get the drain window to finish; two seconds before the deadline the rest are
      // interrupted, so their streams still end with a `result` instead of being cut mid-event.
      const deadlineMs = config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
      const interrupt = setTimeout(
        () => threads.abortAll(new TurnInterrupted('the executor is shutting down')),
        Math.max(0, deadlineMs - 2000),
      );
      try {
        await server.shutdown(deadlineMs);
      } finally {
        clearTimeout(interrupt);
        await agent.close();
      }
    },
  };
}
