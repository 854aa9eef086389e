import { ConfigError, loadConfig } from '@foxhound/service-kit';
import { chosenProvider, ExecutorConfigSchema } from './schema';

const load = (env: Record<string, string>) => loadConfig(ExecutorConfigSchema, env);

describe('executor config', () => {
  it('defaults to port 8888, the offline engine and the documented limits', () => {
    const config = load({});
    expect(config).toMatchObject({
      PORT: 8888,
      EXECUTOR_PROVIDER: 'auto',
      ANTHROPIC_MODEL: 'claude-sonnet-5-5',
      EXECUTOR_MAX_TURNS: 40,
      EXECUTOR_MAX_TOKENS: 400_000,
      EXECUTOR_TURN_TIMEOUT_SECONDS: 300,
      EXECUTOR_MAX_PROMPT_CHARS: 100_000,
      EXECUTOR_NAMESPACES: [],
      EXECUTOR_FALLBACK: 'none',
      ANTHROPIC_MAX_TOKENS_PER_CALL: 16_000,
      EXECUTOR_TOOL_TIMEOUT_SECONDS: 30,
    });
    expect(config.ANTHROPIC_EFFORT).toBeUndefined();
    expect(chosenProvider(config)).toBe('offline');
  });

  it.each([
    ['auto with a key picks anthropic', { ANTHROPIC_API_KEY: 'sk-ant-x' }, 'anthropic'],
    [
      'offline stays offline even with a key',
      { EXECUTOR_PROVIDER: 'offline', ANTHROPIC_API_KEY: 'sk-ant-x' },
      'offline',
    ],
    [
      'auto with an OpenAI-compatible server picks openai',
      { OPENAI_BASE_URL: 'http://vllm.models:8000/v1', OPENAI_MODEL: 'qwen3:32b' },
      'openai',
    ],
    [
      'auto prefers Claude when both are configured',
      { ANTHROPIC_API_KEY: 'sk-ant-x', OPENAI_BASE_URL: 'http://vllm.models:8000/v1', OPENAI_MODEL: 'm' },
      'anthropic',
    ],
  ])('%s', (_name, env, provider) => {
    expect(chosenProvider(load(env))).toBe(provider);
  });

  it('reads the effort and the fallback', () => {
    expect(load({ ANTHROPIC_EFFORT: 'xhigh', EXECUTOR_FALLBACK: 'offline' })).toMatchObject({
      ANTHROPIC_EFFORT: 'xhigh',
      EXECUTOR_FALLBACK: 'offline',
    });
  });

  it('reads the MCP servers, and an empty value means none', () => {
    expect(load({}).EXECUTOR_MCP_SERVERS).toEqual([]);
    const servers = load({
      EXECUTOR_MCP_SERVERS: JSON.stringify([
        {
          name: 'logs',
          url: 'http://loki-mcp.obs:8080/mcp',
          allow: ['query_logs'],
          headerEnv: { Authorization: 'LOKI_MCP_AUTH' },
        },
      ]),
    }).EXECUTOR_MCP_SERVERS;
    expect(servers).toEqual([
      expect.objectContaining({
        name: 'logs',
        allow: ['query_logs'],
        roles: ['investigator'],
        timeoutSeconds: 30,
      }),
    ]);
  });

  it('reads the registry hosts tag lookups may ask', () => {
    expect(load({}).EXECUTOR_REGISTRY_HOSTS).toEqual([]);
    expect(
      load({ EXECUTOR_REGISTRY_HOSTS: 'ghcr.io, registry.example.com:5000' }).EXECUTOR_REGISTRY_HOSTS,
    ).toEqual(['ghcr.io', 'registry.example.com:5000']);
  });

  it('reads the namespace list', () => {
    expect(load({ EXECUTOR_NAMESPACES: 'shop, payments' }).EXECUTOR_NAMESPACES).toEqual(['shop', 'payments']);
  });

  it.each([
    [
      'anthropic without a key',
      { EXECUTOR_PROVIDER: 'anthropic' },
      'EXECUTOR_PROVIDER: EXECUTOR_PROVIDER=anthropic needs ANTHROPIC_API_KEY',
    ],
    ['an unknown provider', { EXECUTOR_PROVIDER: 'bedrock' }, 'EXECUTOR_PROVIDER'],
    [
      'a registry host that is a URL',
      { EXECUTOR_REGISTRY_HOSTS: 'https://ghcr.io' },
      'EXECUTOR_REGISTRY_HOSTS',
    ],
    ['MCP servers that are not JSON', { EXECUTOR_MCP_SERVERS: '[{name: logs}]' }, 'EXECUTOR_MCP_SERVERS'],
    [
      'an MCP server with no allow-list',
      { EXECUTOR_MCP_SERVERS: '[{"name":"logs","url":"http://x:1/mcp","allow":[]}]' },
      'EXECUTOR_MCP_SERVERS',
    ],
    [
      'openai without a server',
      { EXECUTOR_PROVIDER: 'openai' },
      'EXECUTOR_PROVIDER: EXECUTOR_PROVIDER=openai needs OPENAI_BASE_URL',
    ],
    [
      'a server without a model',
      { OPENAI_BASE_URL: 'http://vllm.models:8000/v1' },
      'OPENAI_MODEL: OPENAI_BASE_URL needs OPENAI_MODEL',
    ],
    [
      'a prompt limit above the contract',
      { EXECUTOR_MAX_PROMPT_CHARS: '100001' },
      'EXECUTOR_MAX_PROMPT_CHARS',
    ],
    ['zero turns', { EXECUTOR_MAX_TURNS: '0' }, 'EXECUTOR_MAX_TURNS'],
    ['a namespace that is not a DNS label', { EXECUTOR_NAMESPACES: 'shop,Bad_NS' }, 'EXECUTOR_NAMESPACES'],
    ['a Prometheus URL that is not http', { PROMETHEUS_URL: 'file:///etc/passwd' }, 'PROMETHEUS_URL'],
    ['a model id with spaces', { ANTHROPIC_MODEL: 'claude sonnet' }, 'ANTHROPIC_MODEL'],
    ['an effort the API does not know', { ANTHROPIC_EFFORT: 'extreme' }, 'ANTHROPIC_EFFORT'],
    ['a fallback that is not offline', { EXECUTOR_FALLBACK: 'openai' }, 'EXECUTOR_FALLBACK'],
    [
      "a per-call output below thinking's minimum",
      { ANTHROPIC_MAX_TOKENS_PER_CALL: '512' },
      'ANTHROPIC_MAX_TOKENS_PER_CALL',
    ],
  ])('rejects %s, naming the variable', (_name, env, variable) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(variable);
  });

  it('never echoes the API key in an error', () => {
    expect(() => load({ ANTHROPIC_API_KEY: 'sk-ant-secret', EXECUTOR_MAX_TURNS: 'x' })).not.toThrow(
      /sk-ant-secret/,
    );
  });
});
