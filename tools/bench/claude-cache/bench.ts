// Prompt-cache benchmark of the Claude provider: one long investigation (28 tool calls: the
// commander, the investigator, the log analyst and the remediator over the crashloop-missing-env
// scenario) run twice through the real provider and SDK against the strict fake, whose usage comes
// from its prompt-cache model (a breakpoint's prefix is written once it reaches the model's minimum;
// a request reads the longest cached prefix at a breakpoint or up to 20 blocks before one; tokens
// are estimated at 4 characters). Side by side:
//   static    the breakpoints before this change: the last tool and the system prompt only
//   rolling   those two plus the two newest tool-result turns, moving as the conversation grows
// It prints, per strategy, the input tokens by kind, the cached share of input, the input cost of
// the investigation at claude-sonnet-5-5's prices ($2/MTok input, $2.50 cache write, $0.10 read),
// and the input the turn's token budget counts (cache reads and writes weighted at their price;
// before this change the budget counted every one of "input tokens (all)").
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/claude-cache/bench.ts
import path from 'node:path';
import {
  callTool,
  costUsd,
  createAgent,
  type FakeStep,
  kubeReader,
  say,
  startFakeAnthropic,
  weightedInputTokens,
} from '@foxhound/agent';
import { createKubeClient } from '@foxhound/kube';
import { startKubeSim } from '@foxhound/kube-sim';

const SCENARIO = path.resolve(__dirname, '../../../scenarios/crashloop-missing-env');
const MODEL = 'claude-sonnet-5-5';
const NS = { namespace: 'identity' };
const task = (tag: string, text: string) => ({ task: `${tag}: ${text}` });
const sub = (tag: string, name: string, input: unknown, thought: string): FakeStep => ({
  ...callTool(name, input, thought),
  match: tag,
});

/** 28 tool calls, every input distinct (no call is answered from memory). */
function script(): FakeStep[] {
  const pods = [
    'account-service-6f9c8d7b45-r9j8m',
    'account-service-6f9c8d7b45-xhlnf',
    'account-service-6f9c8d7b45-xrr6p',
    'account-service-b8d5f6c97d-5tr47',
  ];
  return [
    callTool('fetch_skill', { id: 'investigate' }, 'Phase 1, scope: identity/account-service.'),
    callTool('run_diagnostics', {}, 'Phase 2: the analyzers first, as hypotheses.'),
    callTool('kubectl_get', { kind: 'Deployment', ...NS }, 'What exists.'),
    callTool('kubectl_get', { kind: 'Pod', ...NS }, 'The pods.'),
    callTool('kubectl_get', { kind: 'Service', ...NS }, 'The services.'),
    callTool(
      'investigator',
      task('INV', 'the state of Deployment identity/account-service, its ReplicaSets and pods'),
      'State first.',
    ),
    sub('INV', 'fetch_skill', { id: 'kubernetes-debugging' }, 'Method.'),
    sub('INV', 'kubectl_describe', { kind: 'Deployment', ...NS, name: 'account-service' }, 'The deployment.'),
    sub('INV', 'kubectl_get', { kind: 'ReplicaSet', ...NS }, 'Revisions.'),
    ...pods.map((pod, i) =>
      sub('INV', 'kubectl_describe', { kind: 'Pod', ...NS, name: pod }, `Pod ${i + 1}.`),
    ),
    sub('INV', 'kubectl_events', { ...NS }, 'Events.'),
    sub('INV', 'get_endpoints', { ...NS, service: 'account-service' }, 'Endpoints.'),
    { ...say('Revision 32 is stuck; its pod restarts; revision 31 serves.'), match: 'INV' },
    callTool(
      'log_analyst',
      task('LOGS', 'the logs of every account-service pod in identity, previous containers first'),
      'Logs next.',
    ),
    sub('LOGS', 'fetch_skill', { id: 'log-analysis' }, 'Method.'),
    sub('LOGS', 'fetch_pod_logs', { ...NS, pod: pods[3], previous: true }, 'The crashed container.'),
    ...pods.slice(0, 3).map((pod, i) => sub('LOGS', 'fetch_pod_logs', { ...NS, pod }, `Replica ${i + 1}.`)),
    sub('LOGS', 'what_changed', { ...NS, name: 'account-service' }, 'What changed.'),
    {
      ...say('The new pod exits: oidc_issuer_url Field required; revision 32 dropped OIDC_ISSUER_URL.'),
      match: 'LOGS',
    },
    callTool('service_graph', { ...NS }, 'Who depends on it.'),
    callTool(
      'remediator',
      task('FIX', 'roll back identity/account-service: revision 32 dropped OIDC_ISSUER_URL'),
      'Now the fix.',
    ),
    sub('FIX', 'fetch_skill', { id: 'remediation-safety' }, 'Safety first.'),
    sub('FIX', 'kubectl_get', { kind: 'Deployment', ...NS, name: 'account-service' }, 'Current state.'),
    sub(
      'FIX',
      'propose_action',
      {
        action: { type: 'RollbackDeployment', ...NS, name: 'account-service' },
        summary: 'Roll back to the revision that set OIDC_ISSUER_URL.',
      },
      'Propose.',
    ),
    { ...say('Proposed a rollback.'), match: 'FIX' },
    callTool('submit_report', {
      summary: 'account-service 5.12.0 crash-loops: OIDC_ISSUER_URL was dropped from the pod template.',
      rootCause:
        'Revision 32 of Deployment identity/account-service removed OIDC_ISSUER_URL, so the app exits at start.',
      healthy: false,
      affected: { kind: 'Deployment', namespace: 'identity', name: 'account-service' },
      confidence: 0.9,
    }),
    say('Reported; a rollback awaits approval.'),
  ];
}

interface Measured {
  strategy: string;
  toolCalls: number;
  modelCalls: number;
  input: number;
  cacheRead: number;
  cacheWrite: number;
  inputCostUsd: number;
  /** Input as the turn budget now counts it: cache reads and writes at their price. */
  weightedInput: number;
}

async function measure(strategy: 'static' | 'rolling'): Promise<Measured> {
  const sim = await startKubeSim({ scenarios: [SCENARIO] });
  const fake = await startFakeAnthropic({ script: script(), usage: 'simulated' });
  try {
    const { engine } = await createAgent({
      cluster: kubeReader(createKubeClient({ from: 'object', config: sim.kubeconfig() }), {}),
      provider: 'anthropic',
      anthropic: {
        apiKey: fake.apiKey,
        baseURL: fake.url,
        maxRetries: 0,
        model: MODEL,
        cacheStrategy: strategy,
      },
    });
    let toolCalls = 0;
    const output = await engine.runTurn(
      {
        threadId: `bench-${strategy}`,
        prompt: 'account-service deploy to 5.12.0 is stuck and the new pod is crash looping',
        history: [],
        context: { namespaces: ['identity'] },
      },
      { emit: (e) => void (e.type === 'tool_start' && (toolCalls += 1)) },
      new AbortController().signal,
    );
    if (
      output.subtype !== 'success' ||
      output.report?.partial ||
      fake.refusals.length > 0 ||
      fake.pending > 0
    )
      throw new Error(
        `the ${strategy} run ended ${output.subtype}: ${JSON.stringify(fake.refusals)} ${output.text.slice(0, 300)}`,
      );
    const u = output.usage;
    return {
      strategy,
      toolCalls,
      modelCalls: u.modelCalls,
      input: u.inputTokens,
      cacheRead: u.cacheReadInputTokens,
      cacheWrite: u.cacheCreationInputTokens,
      inputCostUsd: costUsd(MODEL, { ...u, outputTokens: 0 }),
      weightedInput: Math.round(weightedInputTokens(MODEL, u)),
    };
  } finally {
    await fake.close();
    await sim.close();
  }
}

async function main(): Promise<void> {
  const rows = [await measure('static'), await measure('rolling')];
  const table = rows.map((r) => {
    const total = r.input + r.cacheRead + r.cacheWrite;
    return {
      strategy: r.strategy,
      'tool calls': r.toolCalls,
      'model calls': r.modelCalls,
      'input tokens (all)': total,
      uncached: r.input,
      'cache writes': r.cacheWrite,
      'cache reads': r.cacheRead,
      'cached share': `${((100 * r.cacheRead) / total).toFixed(1)}%`,
      'input cost': `$${r.inputCostUsd.toFixed(4)}`,
      'budget-counted input': r.weightedInput,
    };
  });
  console.table(table);
  const [before, after] = rows;
  console.log(
    `input cost per investigation: $${before!.inputCostUsd.toFixed(4)} -> $${after!.inputCostUsd.toFixed(4)} (${(100 * (1 - after!.inputCostUsd / before!.inputCostUsd)).toFixed(0)}% less)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
