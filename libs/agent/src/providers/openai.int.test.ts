// The OpenAI-compatible provider driving the real tools: the official `openai` SDK against a strict
// local fake of the Chat Completions API (fake-openai.ts), every tool reading kube-sim through the
// real Kubernetes client. The same scripted investigation runs through Claude's provider against its
// fake, and both streams must carry the same tool calls, roles, proposal and report. Then what small
// local models do: malformed tool arguments, 429s, a call repeated forever, a stalled stream.
import { type StreamEvent } from '@foxhound/contracts';
import { createKubeClient } from '@foxhound/kube';
import { type KubeSim, startKubeSim } from '@foxhound/kube-sim';
import { scenario } from '../__fixtures__/harness';
import { createAgent, type AgentOptions } from '../agent';
import { kubeReader } from '../cluster/kube-reader';
import { type Engine } from '../engine';
import { investigator, remediator } from '../roles/roles';
import { callTool, say, startFakeAnthropic, type FakeStep } from '../testing/fake-anthropic';
import { chatCall, chatSay, type ChatStep, type FakeOpenAI, startFakeOpenAI } from '../testing/fake-openai';

let sim: KubeSim;
let fake: FakeOpenAI;

beforeAll(async () => {
  sim = await startKubeSim({ scenarios: [scenario('crashloop-missing-env')] });
});
afterAll(() => sim.close());
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(() => fake.close());

async function agent(options: Partial<AgentOptions> = {}): Promise<Engine> {
  const client = createKubeClient({ from: 'object', config: sim.kubeconfig() });
  const { engine } = await createAgent({
    cluster: kubeReader(client, { prometheusUrl: sim.prometheusUrl }),
    provider: 'openai',
    openai: { baseURL: fake.url, apiKey: fake.apiKey, model: 'qwen3-32b', maxRetries: 0 },
    prometheusUrl: sim.prometheusUrl,
    ...options,
  });
  return engine;
}

async function run(engine: Engine, prompt = 'account-service deploy to 5.12.0 is stuck and crash looping') {
  const events: StreamEvent[] = [];
  const output = await engine.runTurn(
    { threadId: 't-openai', prompt, history: [], context: { namespaces: ['identity'] } },
    { emit: (e) => void events.push(e) },
    new AbortController().signal,
  );
  return { events, output };
}

/** One scripted investigation, written once and spoken in both providers' wire formats. */
type Step = { call: string; input: unknown; text?: string; id?: string } | { say: string };

const INVESTIGATION: Step[] = [
  { call: 'run_diagnostics', input: {}, text: 'Analyzers first.' },
  { call: 'investigator', input: { task: 'Describe Deployment identity/account-service.' }, id: 'call_inv' },
  { call: 'kubectl_describe', input: { kind: 'Deployment', namespace: 'identity', name: 'account-service' } },
  { call: 'kubectl_get', input: { kind: 'Pod', namespace: 'identity' } },
  { call: 'kubectl_events', input: { namespace: 'identity' } },
  { call: 'kubectl_get', input: { kind: 'ReplicaSet', namespace: 'identity' } },
  { call: 'kubectl_get', input: { kind: 'Service', namespace: 'identity' } },
  { call: 'kubectl_get', input: { kind: 'ConfigMap', namespace: 'identity' } },
  { say: 'Revision 32 is stuck: ProgressDeadlineExceeded; the new pods crash.' },
  {
    call: 'log_analyst',
    input: { task: 'Read the crashing account-service pod logs in identity.' },
    id: 'call_log',
  },
  { call: 'fetch_pod_logs', input: { namespace: 'identity', workload: 'account-service', previous: true } },
  { call: 'what_changed', input: { namespace: 'identity', name: 'account-service' } },
  { say: 'The pods of revision 32 exit at start.' },
  {
    call: 'remediator',
    input: { task: 'Roll back identity/account-service; revision 32 dropped OIDC_ISSUER_URL.' },
    id: 'call_rem',
  },
  { call: 'kubectl_get', input: { kind: 'Deployment', namespace: 'identity' } },
  { call: 'what_changed', input: { namespace: 'identity', name: 'account-service' } },
  {
    call: 'propose_action',
    input: {
      action: { type: 'RollbackDeployment', namespace: 'identity', name: 'account-service' },
      summary: 'Roll back to revision 31, which set OIDC_ISSUER_URL.',
    },
  },
  { say: 'Proposed a rollback to revision 31.' },
  {
    call: 'submit_report',
    input: {
      summary: 'account-service 5.12.0 crash-loops: OIDC_ISSUER_URL was dropped from the pod template.',
      rootCause:
        'Revision 32 of Deployment identity/account-service removed OIDC_ISSUER_URL, so the app exits at start.',
      healthy: false,
      affected: { kind: 'Deployment', namespace: 'identity', name: 'account-service' },
      confidence: 0.9,
    },
  },
  { say: 'Done.' },
];

const asChat = (steps: Step[]): ChatStep[] =>
  steps.map((s) => ('say' in s ? chatSay(s.say) : chatCall(s.call, s.input, { text: s.text, id: s.id })));
const asClaude = (steps: Step[]): FakeStep[] =>
  steps.map((s) => ('say' in s ? say(s.say) : callTool(s.call, s.input, s.text, s.id)));

/** What must match across providers: each tool call's name, role, parent call, status; proposals; the result. */
function shape(events: StreamEvent[]): unknown[] {
  return events.flatMap((e) => {
    if (e.type === 'tool_start' || e.type === 'tool_end')
      return [
        [
          e.type,
          e.data.name,
          e.data.role ?? 'commander',
          e.data.parent_tool_use_id ?? null,
          'status' in e.data ? e.data.status : null,
        ],
      ];
    if (e.type === 'proposal') return [['proposal', e.data.action.type]];
    if (e.type === 'result') return [['result', e.data.subtype]];
    return [];
  });
}

describe('the OpenAI-compatible provider with the real tools on kube-sim', () => {
  it('runs a 20-step investigation with the same events as the Claude provider', async () => {
    fake.push(...asChat(INVESTIGATION));
    const chat = await run(await agent());

    const claudeFake = await startFakeAnthropic();
    try {
      claudeFake.push(...asClaude(INVESTIGATION));
      const claude = await run(
        await agent({
          provider: 'anthropic',
          anthropic: { apiKey: claudeFake.apiKey, baseURL: claudeFake.url, maxRetries: 0 },
        }),
      );
      expect(claude.output).toMatchObject({ subtype: 'success', provider: 'anthropic' });
      expect(shape(chat.events)).toEqual(shape(claude.events));
    } finally {
      await claudeFake.close();
    }

    expect(INVESTIGATION).toHaveLength(20);
    expect(fake.requests).toHaveLength(INVESTIGATION.length);
    expect(fake.pending()).toBe(0);
    expect(chat.output).toMatchObject({ subtype: 'success', provider: 'openai' });
    expect(chat.events.at(-1)).toMatchObject({
      type: 'result',
      data: { provider: 'openai', model: 'qwen3-32b' },
    });
    expect(chat.output.report).toMatchObject({
      affected: { name: 'account-service' },
      proposals: [{ action: { type: 'RollbackDeployment', toRevision: 31 }, dryRun: { ok: true } }],
    });
    const describe = chat.events.find((e) => e.type === 'tool_end' && e.data.name === 'kubectl_describe');
    expect(describe?.data).toMatchObject({
      status: 'success',
      role: 'investigator',
      parent_tool_use_id: 'call_inv',
    });
    // Each role was offered its allow-list as function tools, and the commander's prompt came first.
    const offered = fake.requests.map((r) => r.body.tools!.map((t) => t.function.name));
    // registry_tags is off here: no registry host is allow-listed.
    expect(offered[2]).toEqual(investigator.tools.filter((t) => t !== 'registry_tags'));
    expect(offered[14]).toEqual([...remediator.tools]);
    expect(fake.requests[0]!.body.messages[0]!.role).toBe('system');
    expect(fake.requests[0]!.body.stream_options).toEqual({ include_usage: true });
    expect(fake.requests[0]!.body.max_completion_tokens).toBeGreaterThan(0);
    // The tool's text went back as a tool message in the <tool_output> envelope.
    const answered = fake.requests[3]!.body.messages.at(-1)!;
    expect(answered).toMatchObject({ role: 'tool', tool_call_id: expect.any(String) });
    expect(answered.content).toMatch(/^<tool_output tool="kubectl_describe">\n/);
    expect(answered.content).toContain('ProgressDeadlineExceeded');
    // Tokens were counted from the usage chunks (1,200 in and 80 out per call, as the fake reports).
    expect(chat.output.usage).toMatchObject({
      inputTokens: 1200 * INVESTIGATION.length,
      outputTokens: 80 * INVESTIGATION.length,
    });
  });

  it('streams reasoning as thoughts and reports malformed tool arguments back to the model', async () => {
    fake.push(
      {
        kind: 'answer',
        reasoning: 'The deployment is the first thing to read.',
        toolCalls: [{ name: 'kubectl_get', rawArguments: '{"kind": "Deployment", "namespace": ' }],
      },
      chatCall('kubectl_get', { kind: 'Deployment', namespace: 'identity' }),
      chatSay('Revision 32 is stuck.'),
    );
    const { events, output } = await run(await agent());
    expect(output.subtype).toBe('success');
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'thought',
        data: expect.objectContaining({ text: 'The deployment is the first thing to read.' }),
      }),
    );
    const bad = fake.requests[1]!.body.messages.at(-1)!;
    expect(bad.role).toBe('tool');
    expect(bad.content).toMatch(/^The call failed\.\n<tool_output tool="kubectl_get">/);
    expect(bad.content).toContain('could not be read (the arguments were not valid JSON');
  });

  it('retries a 429 after the retry-after the server sent, then completes', async () => {
    fake.push(
      { kind: 'http_error', status: 429, message: 'Rate limit reached', headers: { 'retry-after-ms': '10' } },
      chatSay('Nothing to add.'),
    );
    const engine = await agent({
      openai: { baseURL: fake.url, apiKey: fake.apiKey, model: 'qwen3-32b', maxRetries: 1 },
    });
    const { output } = await run(engine);
    expect(output.subtype).toBe('success');
    expect(fake.requests).toHaveLength(2);
  });

  it('stops a model that repeats one call forever within its budget, and names the loop', async () => {
    fake.repeatForever(chatCall('kubectl_get', { kind: 'Pod', namespace: 'identity' }));
    const { events, output } = await run(await agent());
    expect(output).toMatchObject({ subtype: 'error_provider', provider: 'openai' });
    expect(fake.requests).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      data: {
        message: expect.stringContaining('asked for kubectl_get with the same arguments 4 times'),
        code: 'provider_looping',
      },
    });
  });

  it("hands a looping model's turn to the offline engine when EXECUTOR_FALLBACK allows, and says so", async () => {
    fake.repeatForever(chatCall('kubectl_get', { kind: 'Pod', namespace: 'identity' }));
    const { events, output } = await run(await agent({ fallback: 'offline' }));
    expect(output).toMatchObject({ subtype: 'success', provider: 'offline' });
    expect(output.report!.rootCause).toContain('OIDC_ISSUER_URL');
    expect(output.report!.notChecked).toContainEqual(
      expect.stringContaining(
        'The offline engine (EXECUTOR_FALLBACK) wrote this report instead of qwen3-32b.',
      ),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'thought',
        data: expect.objectContaining({
          text: expect.stringMatching(/it is looping.*Continuing with the offline engine/s),
        }),
      }),
    );
  });

  it('abandons a stream that stops sending and reports it as stalled', async () => {
    fake.push({ kind: 'hang' });
    const engine = await agent({
      openai: {
        baseURL: fake.url,
        apiKey: fake.apiKey,
        model: 'qwen3-32b',
        maxRetries: 0,
        idleTimeoutMs: 200,
      },
    });
    const { events, output } = await run(engine);
    expect(output).toMatchObject({ subtype: 'error_provider' });
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      data: { message: expect.stringContaining('sent nothing for 200 ms'), code: 'provider_stalled' },
    });
  });

  it('asks again with more room when an answer is cut at its token limit', async () => {
    fake.push(chatSay('Revision 32 is', { finishReason: 'length' }), chatSay('Revision 32 is stuck.'));
    const { output } = await run(await agent());
    expect(output.subtype).toBe('success');
    const [first, second] = fake.requests.map((r) => r.body.max_completion_tokens!);
    expect(second).toBe(first! * 2);
  });
});
