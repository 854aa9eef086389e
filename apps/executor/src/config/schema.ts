// The executor's whole configuration, read from the environment once at startup. The defaults here
// are the complete default config; cross-field rules name both variables.
import { DEFAULT_ANTHROPIC_MODEL, EFFORTS, McpServerConfigSchema } from '@foxhound/agent';
import { MAX_PROMPT_CHARS, NamespaceSchema } from '@foxhound/contracts';
import { baseServiceEnvShape, env } from '@foxhound/service-kit';
import { z } from 'zod';

export const ExecutorConfigSchema = z
  .object({
    ...baseServiceEnvShape,
    PORT: env.port(8888),
    /**
     * `auto`: Claude when ANTHROPIC_API_KEY is set, else the OpenAI-compatible server when
     * OPENAI_BASE_URL is set, else the offline engine.
     */
    EXECUTOR_PROVIDER: z.enum(['auto', 'anthropic', 'openai', 'offline']).default('auto'),
    ANTHROPIC_API_KEY: z.string().min(1).optional(),
    ANTHROPIC_MODEL: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{0,99}$/, 'expected a model id such as claude-sonnet-5-5')
      .default(DEFAULT_ANTHROPIC_MODEL),
    ANTHROPIC_BASE_URL: env.url().optional(),
    /** output_config.effort on models that take it; unset leaves the model's default (high on Sonnet 5.5). */
    ANTHROPIC_EFFORT: z.enum(EFFORTS, { message: `expected one of ${EFFORTS.join(', ')}` }).optional(),
    /** `max_tokens` of one model call, thinking included. */
    ANTHROPIC_MAX_TOKENS_PER_CALL: env.int(16_000, 1_024, 128_000),
    /** Any server that speaks the Chat Completions API, up to its version path (http://vllm:8000/v1). */
    OPENAI_BASE_URL: env.url().optional(),
    /** The model id the server knows (vLLM's served name, an Ollama tag such as llama3.1:8b). */
    OPENAI_MODEL: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}$/, 'expected a model id such as gpt-5 or qwen3:32b')
      .optional(),
    /** Unset for servers without authentication (a local Ollama or vLLM). */
    OPENAI_API_KEY: z.string().min(1).optional(),
    /** Output tokens of one model call. */
    OPENAI_MAX_TOKENS_PER_CALL: env.int(8_000, 256, 128_000),
    /** The output-token field: OpenAI's current one, or `max_tokens` for servers that only take that. */
    OPENAI_MAX_TOKENS_PARAM: z.enum(['max_completion_tokens', 'max_tokens']).default('max_completion_tokens'),
    /**
     * `offline`: when the model API fails for good (or the model loops or stalls), the offline engine finishes the turn, announced
     * in the stream and the report. `none`: the turn ends with an `error` event saying why.
     */
    EXECUTOR_FALLBACK: z.enum(['none', 'offline']).default('none'),
    /** Wall-clock bound of one tool call; a slower tool answers the model with a timeout error. */
    EXECUTOR_TOOL_TIMEOUT_SECONDS: env.int(30, 1, 600),
    /** Enables prometheus_query when set. */
    PROMETHEUS_URL: env.url().optional(),
    /** Model calls (or offline steps) per request, subagents included. */
    EXECUTOR_MAX_TURNS: env.int(40, 1, 1000),
    /** Input plus output tokens per request, subagents included. */
    EXECUTOR_MAX_TOKENS: env.int(400_000, 1_000, 10_000_000),
    EXECUTOR_TURN_TIMEOUT_SECONDS: env.int(300, 1, 3600),
    /** Characters of prompt plus history per request. */
    EXECUTOR_MAX_PROMPT_CHARS: env.int(MAX_PROMPT_CHARS, 100, MAX_PROMPT_CHARS),
    /** Default scope when a request names no namespace. */
    EXECUTOR_NAMESPACES: env
      .list()
      .pipe(z.array(NamespaceSchema, { message: 'expected comma-separated namespace names' }).max(50)),
    /**
     * Image registry hosts `registry_tags` may ask for an image's tags (read-only, HTTPS); empty
     * leaves the tool off, since a lookup leaves the cluster.
     */
    EXECUTOR_REGISTRY_HOSTS: env
      .list()
      .pipe(
        z
          .array(
            z
              .string()
              .regex(
                /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?$/,
                'expected registry hosts such as ghcr.io or registry.example.com:5000',
              ),
          )
          .max(20),
      ),
    /** Unset in-cluster: the pod's read-only ServiceAccount. */
    KUBECONFIG: z.string().min(1).optional(),
    /**
     * MCP servers whose allow-listed tools the agent may use: a JSON array of
     * {name, url | command+args, allow, roles?, headerEnv?, timeoutSeconds?}. No secrets in it:
     * headerEnv names the variables that hold header values.
     */
    EXECUTOR_MCP_SERVERS: z
      .string()
      .optional()
      .transform((raw, ctx): unknown => {
        if (!raw?.trim()) return [];
        try {
          return JSON.parse(raw);
        } catch {
          ctx.addIssue({ code: 'custom', message: 'expected a JSON array of MCP server definitions' });
          return z.NEVER;
        }
      })
      .pipe(z.array(McpServerConfigSchema).max(10)),
  })
  .superRefine((config, ctx) => {
    if (config.EXECUTOR_PROVIDER === 'anthropic' && !config.ANTHROPIC_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['EXECUTOR_PROVIDER'],
        message: 'EXECUTOR_PROVIDER=anthropic needs ANTHROPIC_API_KEY',
      });
    }
    if (config.EXECUTOR_PROVIDER === 'openai' && !config.OPENAI_BASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['EXECUTOR_PROVIDER'],
        message: 'EXECUTOR_PROVIDER=openai needs OPENAI_BASE_URL',
      });
    }
    if (config.OPENAI_BASE_URL && !config.OPENAI_MODEL) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_MODEL'],
        message: 'OPENAI_BASE_URL needs OPENAI_MODEL (the model id the server serves)',
      });
    }
  });
export type ExecutorConfig = z.infer<typeof ExecutorConfigSchema>;

/** Which provider runs turns, after `auto` is resolved. */
export function chosenProvider(config: ExecutorConfig): 'anthropic' | 'openai' | 'offline' {
  if (config.EXECUTOR_PROVIDER !== 'auto') return config.EXECUTOR_PROVIDER;
  if (config.ANTHROPIC_API_KEY) return 'anthropic';
  return config.OPENAI_BASE_URL ? 'openai' : 'offline';
}
