// The offline engine over multi-turn threads, through the agent's real interface (engine.runTurn
// with the thread's history, as the executor and the eval pass it) against kube-sim over HTTP:
// follow-ups answer the question asked from the thread with only the reads they need and never
// re-propose; names resolve across namespaces; several incidents are reported apart; bad input gets
// a clear answer. Scored with the contracts' own scoring module where a scenario expectation applies.
import {
  historyExchange,
  type HistoryTurn,
  proposalStateLine,
  type InvestigationReport,
  type ObjectRef,
  scoreFollowUp,
  type StreamEvent,
} from '@foxhound/contracts';
import { createKubeClient } from '@foxhound/kube';
import { type KubeSim, startKubeSim } from '@foxhound/kube-sim';
import { scenario } from '../__fixtures__/harness';
import { createAgent } from '../agent';
import { kubeReader } from '../cluster/kube-reader';
import { type Engine, type TurnOutput } from '../engine';

interface Turn {
  output: TurnOutput;
  report: InvestigationReport;
  events: StreamEvent[];
  tools: string[];
}

let sim: KubeSim;
let engine: Engine;
let threads = 0;

beforeAll(async () => {
  // Two unrelated incidents in two namespaces: a quota refusing pods (orders) and a bad image tag
  // (storefront).
  sim = await startKubeSim({
    scenarios: [scenario('quota-blocks-admission'), scenario('imagepull-bad-tag')],
  });
  const client = createKubeClient({ from: 'object', config: sim.kubeconfig() });
  ({ engine } = await createAgent({
    cluster: kubeReader(client, { prometheusUrl: sim.prometheusUrl }),
    provider: 'offline',
    prometheusUrl: sim.prometheusUrl,
  }));
});

afterAll(async () => {
  await sim.close();
});

/** A thread: each ask is one turn with the history of the ones before it, on one thread id. */
function thread(namespaces?: string[]) {
  const threadId = `t-thread-${++threads}`;
  let history: HistoryTurn[] = [];
  return async (prompt: string): Promise<Turn> => {
    const events: StreamEvent[] = [];
    const output = await engine.runTurn(
      { threadId, prompt, history, ...(namespaces ? { context: { namespaces } } : {}) },
      { emit: (e) => void events.push(e) },
      new AbortController().signal,
    );
    expect(output.subtype).toBe('success');
    expect(events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
    history = [...history, ...historyExchange(prompt, output.text)];
    const tools = events.flatMap((e) =>
      e.type === 'tool_start' && !['investigator', 'log_analyst', 'remediator'].includes(e.data.name)
        ? [e.data.name]
        : [],
    );
    return { output, report: output.report!, events, tools };
  };
}

const quota: ObjectRef = { kind: 'ResourceQuota', namespace: 'orders', name: 'orders-compute' };
const orderProcessor: ObjectRef = { kind: 'Deployment', namespace: 'orders', name: 'order-processor' };

describe('follow-ups on a thread', () => {
  it('answers "what would rolling back do, is it safe" from the thread with a few reads and no new proposal', async () => {
    const ask = thread(['orders']);
    const first = await ask(
      'orders queue is backing up, order-processor only has 6 of 8 pods since the node rotation this morning',
    );
    expect(first.report.affected).toEqual(quota);
    const earlier = first.report.proposals;
    expect(earlier.map((p) => p.action.name)).toEqual(['orders-compute']);

    const next = await ask('what would rolling back do to the other pods? is it safe?');
    expect(next.report).toMatchObject({ questionKind: 'safety', proposals: [] });
    expect(next.tools).not.toContain('run_diagnostics');
    // A handful of targeted reads instead of the whole scope (tools/bench/investigate times both).
    expect(next.tools.filter((t) => t !== 'submit_report')).toEqual([
      'kubectl_get',
      'kubectl_get',
      'kubectl_get',
      'kubectl_get',
    ]);
    const score = scoreFollowUp(
      {
        answer: ['roll', 'pod', 'inverse|undo|back', 'safe'],
        objects: [orderProcessor],
        proposesNothingNew: true,
        forbiddenActions: [],
      },
      { text: next.output.text, proposals: next.report.proposals },
      earlier,
    );
    expect(score.misses).toEqual([]);
    // The answer names the workload's pods and says the other pods are not touched.
    expect(next.report.answer).toMatch(/order-processor-[a-z0-9]+-[a-z0-9]+/);
    expect(next.report.answer).toMatch(/does not touch|no other pods/);
  });

  it('refers to the proposal the thread already has instead of proposing it again', async () => {
    const ask = thread(['orders']);
    const first = await ask('order-processor only has 6 of 8 pods');
    const next = await ask('is it safe to delete the quota?');
    expect(next.report.proposals).toEqual([]);
    expect(next.report.answer).toContain('already proposed on this thread');
    expect(next.report.answer).toContain('orders-compute');
    expect(
      scoreFollowUp(
        { answer: [], objects: [quota], proposesNothingNew: true, forbiddenActions: [] },
        { text: next.output.text, proposals: next.report.proposals },
        first.report.proposals,
      ).passed,
    ).toBe(true);

    // "What is wrong" again about what the thread covered: the thread's answer, re-checked, no proposal.
    const again = await ask('why is order-processor short of pods?');
    expect(again.report.proposals).toEqual([]);
    expect(again.tools).not.toContain('run_diagnostics');
    expect(again.report.answer).toContain('orders-compute');

    // Asking about something the thread never looked at reads that thing, not the whole scope.
    const elsewhere = await ask('is order-api healthy?');
    expect(elsewhere.tools).not.toContain('run_diagnostics');
    expect(elsewhere.report.proposals).toEqual([]);
    expect(elsewhere.report.answer).toMatch(/Deployment orders\/order-api has \d+\/\d+ replicas ready/);
  });

  it('says what became of the earlier proposal when the history records its state (a new sandbox)', async () => {
    const ask = thread(['orders']);
    const first = await ask('order-processor only has 6 of 8 pods');
    const p = first.report.proposals[0]!;
    // What the gateway hands a thread's new sandbox: the answer, then each proposal with its state.
    const history = historyExchange(
      'order-processor only has 6 of 8 pods',
      `${first.output.text}\n\n### What became of the proposals\n\n${proposalStateLine(p.action, p.summary, 'rejected')}`,
    );
    const events: StreamEvent[] = [];
    const output = await engine.runTurn(
      {
        threadId: 't-thread-replayed',
        prompt: 'is it safe to change the quota?',
        history,
        context: { namespaces: ['orders'] },
      },
      { emit: (e) => void events.push(e) },
      new AbortController().signal,
    );
    expect(output.report!.proposals).toEqual([]);
    expect(output.report!.answer).toContain('rejected');
  });

  it('answers what changed with a timeline, and shows the relevant log lines and events when asked', async () => {
    const ask = thread(['orders']);
    await ask('order-processor only has 6 of 8 pods');
    const changes = await ask('what changed recently?');
    expect(changes.report.questionKind).toBe('changes');
    expect(changes.tools).toEqual(expect.arrayContaining(['what_changed', 'kubectl_events']));
    expect(changes.report.timeline.length).toBeGreaterThan(0);
    expect(changes.report.answer).toMatch(/rollout|FailedCreate/);

    const logs = await ask('show me the logs of order-processor');
    expect(logs.report.questionKind).toBe('logs');
    expect(logs.tools).toContain('fetch_pod_logs');
    expect(logs.tools).not.toContain('run_diagnostics');
    expect(logs.report.answer).toContain('order-processor');
  });
});

describe('focus and kinds of question on a first turn', () => {
  it('follows a named workload across namespaces when no namespace is given, ahead of an unrelated incident', async () => {
    const { report } = await thread()('catalog-api 3.12.1 release is not rolling out');
    expect(report.affected).toEqual({ kind: 'Deployment', namespace: 'storefront', name: 'catalog-api' });
    expect(report.rootCause).toContain('3.12.1');
  });

  it('reports two unrelated incidents as separate root causes, each with its own evidence and fix', async () => {
    const { report, output } = await thread(['orders', 'storefront'])('what is wrong?');
    const roots = report.findings.filter((f) => f.causedBy === undefined && f.severity !== 'info');
    const namespaces = new Set(roots.map((f) => f.object.namespace));
    expect(namespaces).toEqual(new Set(['orders', 'storefront']));
    expect(roots.every((f) => f.evidence.length > 0)).toBe(true);
    expect(new Set(report.proposals.map((p) => p.action.namespace))).toEqual(
      new Set(['orders', 'storefront']),
    );
    expect(output.text).toContain('### Other problems found');
  });

  it('says the leading hypothesis was tested, and never claims a log read it did not make', async () => {
    const { report, events } = await thread(['storefront'])('catalog-api 3.12.1 release is not rolling out');
    expect(report.hypothesis?.outcome).toMatch(/confirmed|demoted|replaced|untested/);
    const readLogs = events.some((e) => e.type === 'tool_start' && e.data.name === 'fetch_pod_logs');
    const said = events.flatMap((e) => (e.type === 'thought' ? [e.data.text] : [])).join('\n');
    expect(said).not.toContain('Nothing in the logs');
    if (!readLogs) expect(said).toMatch(/No log read/);
  });

  it('answers "is X healthy" with what was checked', async () => {
    const { report } = await thread(['storefront'])('is catalog-admin healthy?');
    expect(report.questionKind).toBe('health');
    expect(report.answer).toMatch(/^Yes: Deployment storefront\/catalog-admin.* healthy as far as checked/);
    expect(report.answer).toContain('Checked: scope: namespace(s) storefront');
  });
});

describe('bad input gets a clear answer', () => {
  it.each([
    ['another language', '¿Por qué falla el servicio de pagos?'],
    ['only punctuation', '?!?! ... ---'],
  ])('%s: an ordinary investigation, no crash', async (_name, prompt) => {
    const { report } = await thread(['orders'])(prompt);
    expect(report.healthy).toBe(false);
    expect(report.affected).toEqual(quota);
  });

  it('names that match nothing: says so, then looks broadly', async () => {
    const { report, output } = await thread(['orders'])('inventory-sync v9.9.9 keeps failing');
    expect(output.text).toContain('Not found in the cluster: inventory-sync, v9.9.9');
    expect(report.summary).toContain('Nothing the question names was found');
  });

  it('a follow-up naming nothing the thread or the cluster has gets a clear answer', async () => {
    const ask = thread(['orders']);
    await ask('order-processor only has 6 of 8 pods');
    const next = await ask('is it safe to restart ghost-worker-9?');
    expect(next.output.text).toContain('Not found in namespace(s) orders: ghost-worker-9');
    expect(next.report.proposals).toEqual([]);
  });
});
