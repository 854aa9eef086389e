import { sandboxEnv } from './sandbox-env';

describe('sandboxEnv', () => {
  it('passes the allow-list and FOXHOUND_* through, never the manager credentials or anything else', () => {
    const env = sandboxEnv(
      {
        PATH: '/bin',
        KUBECONFIG: '/kube/config',
        ANTHROPIC_API_KEY: 'sk-ant',
        OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
        OPENAI_MODEL: 'qwen3:32b',
        PROMETHEUS_URL: 'http://prom',
        FOXHOUND_LOG_LEVEL: 'debug',
        MANAGER_AUTH_TOKEN: 'manager-secret-token',
        ROUTER_AUTH_TOKEN: 'router-secret-token',
        AWS_SECRET_ACCESS_KEY: 'aws',
        NODE_OPTIONS: '-r ./evil.js',
        LOCAL_SANDBOX_COMMAND: 'x',
      },
      { sandboxId: 'fh-local-1', port: 4000, scratchDir: '/scratch', heapMb: 768 },
    );
    expect(env).toEqual({
      PATH: '/bin',
      KUBECONFIG: '/kube/config',
      ANTHROPIC_API_KEY: 'sk-ant',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'qwen3:32b',
      PROMETHEUS_URL: 'http://prom',
      FOXHOUND_LOG_LEVEL: 'debug',
      PORT: '4000',
      HOST: '127.0.0.1',
      HOME: '/scratch',
      SANDBOX_ID: 'fh-local-1',
      SANDBOX_SCRATCH_DIR: '/scratch',
      NODE_OPTIONS: '--max-old-space-size=768',
    });
  });

  it('gives gVisor its state directory and a PATH when the manager has none', () => {
    const env = sandboxEnv(
      {},
      { sandboxId: 's', port: 1, scratchDir: '/d/scratch', heapMb: 64, tmpDir: '/d/runsc' },
    );
    expect(env).toMatchObject({ TMPDIR: '/d/runsc', PATH: '/usr/local/bin:/usr/bin:/bin' });
  });
});
