// Claude driving the real tools: the strict fake Messages API scripts the model's turns (thinking
// between tool calls, verified when it comes back), the real SDK carries them over HTTP, and every
// tool reads kube-sim through the real Kubernetes client. Also the fallback: only when configured,
// the real offline engine finishes the investigation, and says so in the stream and the report.
import { type StreamEvent } from '@foxhound/contracts';
import { createKubeClient } from '@foxhound/kube';
import { type KubeSim, startKubeSim } from '@foxhound/kube-sim';
import { scenario } from '../__fixtures__/harness';
import { createAgent } from '../agent';
import { kubeReader } from '../cluster/kube-reader';
import { type Engine } from '../engine';
import { investigator, remediator } from '../roles/roles';
import { callTool, say, startFakeAnthropic, type FakeAnthropic } from '../testing/fake-anthropic';

let sim: KubeSim;
let fake: FakeAnthropic;
let engine: Engine;

beforeAll(async () => {
  sim = await startKubeSim({ scenarios: [scenario('crashloop-missing-env')] });
});
afterAll(() => sim.close());
beforeEach(async () => {
  fake = await startFakeAnthropic();
  const client = createKubeClient({ from: 'object', config: sim.kubeconfig() });
  ({ engine } = await createAgent({
    cluster: kubeReader(client, { prometheusUrl: sim.prometheusUrl }),
    provider: 'anthropic',
    anthropic: { apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 },
    prometheusUrl: sim.prometheusUrl,
  }));
});
afterEach(() => fake.close());

async function withFallback(): Promise<Engine> {
  const client = createKubeClient({ from: 'object', config: sim.kubeconfig() });
  return (
    await createAgent({
      cluster: kubeReader(client, { prometheusUrl: sim.prometheusUrl }),
      provider: 'anthropic',
      anthropic: { apiKey: fake.apiKey, baseURL: fake.url, maxRetries: 0 },
      prometheusUrl: sim.prometheusUrl,
      fallback: 'offline',
    })
  ).engine;
}

async function run(prompt: string) {
  const events: StreamEvent[] = [];
  const output = await engine.runTurn(
    { threadId: 't-claude', prompt, history: [], context: { namespaces: ['identity'] } },
    { emit: (e) => void events.push(e) },
    new AbortController().signal,
  );
  return { events, output };
}

describe('Claude with the real tools on kube-sim', () => {
  it('delegates, reads the cluster, proposes through the remediator and reports', async () => {
    fake.push(
      callTool('run_diagnostics', {}, 'Phase 2: analyzers first.'),
      callTool(
        'investigator',
        { task: 'Describe Deployment identity/account-service.' },
        undefined,
        'toolu_inv',
      ),
      callTool('kubectl_describe', { kind: 'Deployment', namespace: 'identity', name: 'account-service' }),
      say('Revision 32 is stuck: ProgressDeadlineExceeded.'),
      callTool(
        'remediator',
        { task: 'Roll back identity/account-service; revision 32 dropped OIDC_ISSUER_URL.' },
        undefined,
        'toolu_rem',
      ),
      callTool('propose_action', {
        action: { type: 'RollbackDeployment', namespace: 'identity', name: 'account-service' },
        summary: 'Roll back to revision 31, which set OIDC_ISSUER_URL.',
      }),
      say('Proposed a rollback to revision 31.'),
      callTool('submit_report', {
        summary: 'account-service 5.12.0 crash-loops: OIDC_ISSUER_URL was dropped from the pod template.',
        rootCause:
          'Revision 32 of Deployment identity/account-service removed OIDC_ISSUER_URL, so the app exits at start.',
        healthy: false,
        affected: { kind: 'Deployment', namespace: 'identity', name: 'account-service' },
        confidence: 0.9,
      }),
      say('Done.'),
    );
    const { events, output } = await run(
      'account-service deploy to 5.12.0 is stuck and the new pod is crash looping',
    );

    expect(output).toMatchObject({ subtype: 'success', provider: 'anthropic' });
    expect(output.report).toMatchObject({
      affected: { name: 'account-service' },
      proposals: [{ action: { type: 'RollbackDeployment', toRevision: 31 }, dryRun: { ok: true } }],
    });
    expect(events.filter((e) => e.type === 'finding').length).toBeGreaterThan(0);
    const describe = events.find((e) => e.type === 'tool_end' && e.data.name === 'kubectl_describe');
    expect(describe?.data).toMatchObject({
      status: 'success',
      role: 'investigator',
      parent_tool_use_id: 'toolu_inv',
    });
    const propose = events.find((e) => e.type === 'tool_end' && e.data.name === 'propose_action');
    expect(propose?.data).toMatchObject({
      status: 'success',
      role: 'remediator',
      parent_tool_use_id: 'toolu_rem',
    });

    // Each role was offered exactly its enabled allow-list.
    const offered = fake.requests.map((r) => r.body.tools!.map((t) => t.name));
    // registry_tags is off here: no registry host is allow-listed.
    expect(offered[2]).toEqual(investigator.tools.filter((t) => t !== 'registry_tags'));
    expect(offered[5]).toEqual([...remediator.tools]);
    // The tool's text went back to the model as the tool_result.
    const toolResult = fake.requests[3]!.body.messages.at(-1) as {
      content: { type: string; content: string }[];
    };
    expect(toolResult.content[0]!.content).toContain('Progressing=False (ProgressDeadlineExceeded)');
    expect(toolResult.content[0]!.content).toMatch(/^<tool_output tool="kubectl_describe">\n/);
    // Thinking came back verbatim every time: the strict fake refused nothing.
    expect(fake.refusals).toEqual([]);
    expect(
      events.filter((e) => e.type === 'thought').map((e) => (e.data as { text: string }).text),
    ).toContain('Phase 2: analyzers first.');
  });

  it('ends with an error event naming the API failure when no fallback is configured', async () => {
    fake.push({ kind: 'http_error', status: 400, type: 'invalid_request_error', message: 'messages: bad' });
    const { events, output } = await run('account-service deploy to 5.12.0 is stuck');
    expect(output).toMatchObject({ subtype: 'error_provider', provider: 'anthropic' });
    expect(events.map((e) => e.type)).toEqual(['error']);
    expect(events[0]!.data).toEqual({
      message: 'The Claude API failed: 400 invalid_request_error: messages: bad',
      recoverable: false,
      code: 'provider_400',
    });
  });

  it('falls back to the offline engine only when configured, and says so in the stream and the report', async () => {
    engine = await withFallback();
    fake.push({
      kind: 'http_error',
      status: 401,
      type: 'authentication_error',
      message: 'invalid x-api-key',
    });
    const { events, output } = await run('account-service deploy to 5.12.0 is stuck');
    expect(output).toMatchObject({ subtype: 'success', provider: 'offline' });
    expect(output.report!.rootCause).toContain('OIDC_ISSUER_URL');
    expect(events.find((e) => e.type === 'thought')?.data).toMatchObject({
      text: expect.stringMatching(
        /^The Claude API failed: 401 .*Continuing with the offline engine, as EXECUTOR_FALLBACK allows\.$/,
      ),
    });
    expect(output.report!.notChecked).toContainEqual(
      expect.stringContaining(
        'The offline engine (EXECUTOR_FALLBACK) wrote this report instead of claude-sonnet-5-5.',
      ),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      data: { provider: 'offline', model: 'foxhound-offline-1' },
    });
  });
});
