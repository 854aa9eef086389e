import request from 'supertest';
import { makeEvent, type Proposal, type StoredProposal, type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { createStore, type Store } from '@foxhound/store';
import { result, thought } from '../__fixtures__/fakes';
import { startHarness, type Harness } from '../__fixtures__/harness';

let store: Store;
let harness: Harness;
beforeAll(async () => {
  store = await createStore({});
});
afterAll(async () => {
  await store.close();
});
afterEach(async () => {
  await harness.close();
});

const quotaProposal = (namespace = 'orders'): Proposal => ({
  id: 'f1:DeleteResourceQuota:orders/orders-compute',
  action: { type: 'DeleteResourceQuota', namespace, name: 'orders-compute' },
  summary: 'Delete ResourceQuota orders-compute: it blocks Deployment order-processor',
  evidence: [{ source: 'event', excerpt: 'exceeded quota: orders-compute' }],
  expectedEffect: 'The refused pods are created.',
  risk: 'high',
  rollback: {
    description: 'Re-create ResourceQuota orders-compute from its manifest.',
    manifest: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'orders-compute', namespace },
      spec: { hard: { 'requests.memory': '8Gi', pods: '20' } },
    },
  },
  target: { resourceVersion: '812', digest: 'sha256:abc' },
});

/** Runs a turn that proposes `proposal`; returns the investigation id and the streamed events. */
async function proposeIn(thread: string, proposal = quotaProposal()) {
  harness.executor.script({
    before: (t) => [thought('found it', t), makeEvent('proposal', proposal, t), result('done', t)],
  });
  const { events } = await harness.investigate({ prompt: 'orders is short of pods', thread_id: thread });
  const session = events[0] as Extract<StreamEvent, { type: 'session' }>;
  const streamed = events.find(
    (e): e is Extract<StreamEvent, { type: 'proposal' }> => e.type === 'proposal',
  )!;
  await harness.waitForStatus(session.data.investigation_id!, 'completed');
  return { investigationId: session.data.investigation_id!, proposalId: streamed.data.id, events };
}

const decide = (verb: string, id: string, key: string, reason = 'looks right') =>
  request(harness.url).post(`/v1/actions/${id}/${verb}`).set('x-api-key', key).send({ reason });

async function waitForState(id: string, state: string): Promise<StoredProposal> {
  for (let i = 0; i < 1000; i++) {
    const stored = await store.proposals.get(id);
    if (stored?.state === state) return stored;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`action ${id} never reached ${state}`);
}

async function actionUpdates(investigationId: string) {
  const stream = await openEventStream(`${harness.url}/v1/investigations/${investigationId}/events`, {
    headers: { 'x-api-key': harness.keys.viewer },
  });
  const updates = [];
  for await (const frame of stream.frames) {
    const event = JSON.parse(frame.data) as StreamEvent;
    if (event.type === 'action_update') updates.push(event.data.state);
  }
  return updates;
}

describe('proposals', () => {
  beforeEach(async () => {
    harness = await startHarness(store);
  });

  it('records a streamed proposal under a gateway id with the manager’s dry run, readable by a viewer', async () => {
    const { proposalId } = await proposeIn('act-record');
    expect(proposalId).toMatch(/^act_[0-9a-f]{20}$/);
    const stored = await request(harness.url)
      .get(`/v1/actions/${proposalId}`)
      .set('x-api-key', harness.keys.viewer)
      .expect(200);
    expect(stored.body).toMatchObject({
      state: 'proposed',
      proposal: { id: proposalId, dryRun: { ok: true }, action: { type: 'DeleteResourceQuota' } },
    });
    const listed = await request(harness.url)
      .get(`/v1/actions?investigationId=${stored.body.investigationId}`)
      .set('x-api-key', harness.keys.viewer)
      .expect(200);
    expect(listed.body.items.map((p: StoredProposal) => p.proposal.id)).toStrictEqual([proposalId]);
  });

  it('lists the proposal in the stored report under the id it can be approved by', async () => {
    const report = {
      summary: 's',
      rootCause: 'quota exhausted',
      healthy: false,
      evidence: [],
      timeline: [],
      impact: 'i',
      blastRadius: [],
      findings: [],
      proposals: [quotaProposal()],
      confidence: 0.9,
      notChecked: [],
    };
    harness.executor.script({
      before: (t) => [
        makeEvent('proposal', quotaProposal(), t),
        makeEvent('result', { text: 'done', success: true, subtype: 'success', report }, t),
      ],
    });
    const { events } = await harness.investigate({ prompt: 'x', thread_id: 'act-report' });
    const streamed = events.find(
      (e): e is Extract<StreamEvent, { type: 'proposal' }> => e.type === 'proposal',
    )!;
    const result = events.at(-1) as Extract<StreamEvent, { type: 'result' }>;
    expect(result.data.report?.proposals.map((p) => p.id)).toStrictEqual([streamed.data.id]);
    const session = events[0] as Extract<StreamEvent, { type: 'session' }>;
    const stored = await harness.waitForStatus(session.data.investigation_id!, 'completed');
    expect(stored.report?.proposals.map((p) => p.id)).toStrictEqual([streamed.data.id]);
  });

  it('rejects by policy, at once and visibly, a proposal the safety checks refuse', async () => {
    const { proposalId, events } = await proposeIn('act-protected', quotaProposal('kube-system'));
    expect(events.filter((e) => e.type === 'action_update')).toMatchObject([
      {
        data: {
          proposal_id: proposalId,
          state: 'rejected',
          actor: 'policy',
          reason: 'kube-system is a protected namespace.',
        },
      },
    ]);
    expect((await store.proposals.get(proposalId))?.state).toBe('rejected');
  });

  it('refuses an executor proposal outside the closed set, even a well-formed restore', async () => {
    const restore: Proposal = {
      ...quotaProposal(),
      action: { type: 'RestoreResourceQuota', namespace: 'orders', name: 'q', hard: { pods: '1' } },
    };
    const { proposalId } = await proposeIn('act-outside', restore);
    expect(await store.proposals.get(proposalId)).toMatchObject({
      state: 'rejected',
      history: [
        { to: 'proposed' },
        {
          to: 'rejected',
          actor: 'policy',
          reason: 'RestoreResourceQuota is not an action an investigation may propose.',
        },
      ],
    });
  });
});

describe('approval', () => {
  beforeEach(async () => {
    harness = await startHarness(store);
  });

  it('executes an approved action once and follows it to recovered, on the stored stream', async () => {
    const { investigationId, proposalId } = await proposeIn('act-approve');
    const approved = await decide('approve', proposalId, harness.keys.approver).expect(200);
    expect(['applying', 'applied', 'recovered']).toContain(approved.body.state);
    await waitForState(proposalId, 'recovered');
    expect(harness.manager.executeCalls).toMatchObject([
      {
        proposalId,
        investigationId,
        action: { type: 'DeleteResourceQuota' },
        expected: { resourceVersion: '812' },
      },
    ]);
    expect(await actionUpdates(investigationId)).toStrictEqual([
      'approved',
      'applying',
      'applied',
      'recovered',
    ]);
  });

  it('applies once when several approvers approve at the same time, and approving again changes nothing', async () => {
    const { proposalId } = await proposeIn('act-race');
    const answers = await Promise.all(
      [1, 2, 3, 4, 5].map(() => decide('approve', proposalId, harness.keys.approver)),
    );
    expect(answers.map((a) => a.status)).toStrictEqual([200, 200, 200, 200, 200]);
    await waitForState(proposalId, 'recovered');
    await decide('approve', proposalId, harness.keys.approver).expect(200);
    expect(harness.manager.executeCalls.filter((c) => c.proposalId === proposalId)).toHaveLength(1);
  });

  it('records late recovery: failed first, recovered within the longer window', async () => {
    harness.manager.progress([
      {
        state: 'failed',
        final: false,
        message: 'Deployment orders/order-processor has 6 of 8 replicas available after 60 s.',
      },
      {
        state: 'recovered',
        final: true,
        message: 'Deployment orders/order-processor has 8 of 8 replicas available.',
      },
    ]);
    const { investigationId, proposalId } = await proposeIn('act-late');
    await decide('approve', proposalId, harness.keys.approver).expect(200);
    const recovered = await waitForState(proposalId, 'recovered');
    expect(recovered.history.map((h) => h.to)).toStrictEqual([
      'proposed',
      'approved',
      'applying',
      'failed',
      'recovered',
    ]);
    expect(await actionUpdates(investigationId)).toStrictEqual([
      'approved',
      'applying',
      'failed',
      'recovered',
    ]);
  });

  it('403 for a viewer and an investigator; 403 for the approver who started the investigation', async () => {
    const { proposalId } = await proposeIn('act-roles');
    await decide('approve', proposalId, harness.keys.viewer).expect(403);
    await decide('approve', proposalId, harness.keys.investigator).expect(403);
    // The admin may approve in general, but not an investigation the admin started.
    harness.executor.script({
      before: (t) => [makeEvent('proposal', quotaProposal(), t), result('done', t)],
    });
    const own = await harness.investigate({ prompt: 'x', thread_id: 'act-own' }, harness.keys.admin);
    const ownId = (
      own.events.find((e) => e.type === 'proposal') as Extract<StreamEvent, { type: 'proposal' }>
    ).data.id;
    await harness.waitForStatus(
      (own.events[0] as Extract<StreamEvent, { type: 'session' }>).data.investigation_id!,
      'completed',
    );
    const refused = await decide('approve', ownId, harness.keys.admin).expect(403);
    expect(refused.body.detail).toMatch(/started this investigation .* may not approve its actions/);
    expect(harness.manager.executeCalls).toHaveLength(0);
  });

  it('409 when approving an action whose investigation is still running', async () => {
    let open!: () => void;
    harness.executor.script({
      before: (t) => [makeEvent('proposal', quotaProposal(), t)],
      gate: new Promise((resolve) => (open = resolve)),
      after: (t) => [result('done', t)],
    });
    const created = await request(harness.url)
      .post('/v1/investigations')
      .set('x-api-key', harness.keys.investigator)
      .send({ prompt: 'x' })
      .expect(201);
    let proposalId: string | undefined;
    while (!proposalId) {
      proposalId = (await store.proposals.list({ investigationId: created.body.id }))[0]?.proposal.id;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const refused = await decide('approve', proposalId, harness.keys.approver).expect(409);
    expect(refused.body.detail).toMatch(/still running/);
    open();
  });

  it('rejects with a reason; a rejected action can no longer be approved', async () => {
    const { proposalId } = await proposeIn('act-reject');
    await decide('reject', proposalId, harness.keys.approver, 'the quota is deliberate').expect(200);
    expect((await store.proposals.get(proposalId))?.history.at(-1)).toMatchObject({
      to: 'rejected',
      reason: 'the quota is deliberate',
    });
    const late = await decide('approve', proposalId, harness.keys.approver).expect(409);
    expect(late.body.detail).toBe(`Action ${proposalId} is rejected; it can no longer be approved.`);
  });

  it('tells a thread’s new sandbox what became of its proposals', async () => {
    const { proposalId } = await proposeIn('act-history');
    await decide('reject', proposalId, harness.keys.approver, 'the quota is deliberate').expect(200);
    // The sandbox dies on the next turn, so the one after starts fresh, seeded from the store.
    harness.executor.script({ before: (t) => [thought('x', t)], die: true });
    await harness.investigate({ prompt: 'second', thread_id: 'act-history' });
    await harness.investigate({ prompt: 'is deleting the quota safe?', thread_id: 'act-history' });
    const body = harness.executor.requests.at(-1)!.body as { history?: { role: string; text: string }[] };
    expect(body.history?.[1]?.text).toBe(
      'done\n\n### What became of the proposals\n\n- **DeleteResourceQuota** orders/orders-compute: Delete ResourceQuota orders-compute: it blocks Deployment order-processor (state: rejected)',
    );
  });

  it('400 without a reason', async () => {
    const { proposalId } = await proposeIn('act-reason');
    await request(harness.url)
      .post(`/v1/actions/${proposalId}/approve`)
      .set('x-api-key', harness.keys.approver)
      .send({})
      .expect(400);
  });

  it('expires a proposal past its TTL, and says so on the stream', async () => {
    const { investigationId, proposalId } = await proposeIn('act-expire');
    await store.db.query(`UPDATE proposals SET expires_at = now() - interval '1 minute' WHERE id = $1`, [
      proposalId,
    ]);
    await harness.gateway.actions.expireDue();
    expect((await store.proposals.get(proposalId))?.state).toBe('expired');
    expect(await actionUpdates(investigationId)).toStrictEqual(['expired']);
  });

  it('rolls back through the same approval: a new proposal restoring the deleted quota', async () => {
    const { proposalId } = await proposeIn('act-rollback');
    await decide('approve', proposalId, harness.keys.approver).expect(200);
    await waitForState(proposalId, 'recovered');
    const rollback = await decide(
      'rollback',
      proposalId,
      harness.keys.approver,
      'the quota protected the cluster',
    ).expect(201);
    expect(rollback.body).toMatchObject({
      state: 'proposed',
      proposal: {
        rollbackOf: proposalId,
        action: {
          type: 'RestoreResourceQuota',
          namespace: 'orders',
          name: 'orders-compute',
          hard: { 'requests.memory': '8Gi', pods: '20' },
        },
      },
    });
    // Asking again returns the open rollback rather than a second one.
    const again = await decide('rollback', proposalId, harness.keys.approver).expect(200);
    expect(again.body.proposal.id).toBe(rollback.body.proposal.id);
    // The approver who asked for it may not approve it; an admin may.
    await decide('approve', rollback.body.proposal.id, harness.keys.approver).expect(403);
    await decide('approve', rollback.body.proposal.id, harness.keys.admin).expect(200);
    await waitForState(rollback.body.proposal.id, 'recovered');
    expect(harness.manager.executeCalls.map((c) => c.action.type)).toStrictEqual([
      'DeleteResourceQuota',
      'RestoreResourceQuota',
    ]);
  });
});

describe('a live patch on an object Argo CD manages', () => {
  beforeEach(async () => {
    harness = await startHarness(store);
  });

  const argoProposal = (): Proposal => ({
    ...quotaProposal(),
    id: 'f1:DeleteResourceQuota:orders/orders-compute:argo',
    lane: {
      lane: 'live-patch',
      reason: 'Argo CD manages it; a live patch is refused unless an approver chooses it explicitly.',
      managedBy: {
        tool: 'Argo CD',
        owner: 'Application orders',
        evidence: 'label argocd.argoproj.io/instance=orders',
      },
    },
  });

  it('409 unless the approval chooses the live patch explicitly; the choice is audited and sent to the manager', async () => {
    const { proposalId } = await proposeIn('act-gitops', argoProposal());
    const refused = await decide('approve', proposalId, harness.keys.approver).expect(409);
    expect(refused.body).toStrictEqual({
      code: 'conflict',
      detail: `Action ${proposalId} patches an object Argo CD manages (Application orders, label argocd.argoproj.io/instance=orders); its controller reverts a live patch at the next sync. Change it in Git, or approve with "livePatchOnGitOps": true to choose the live patch explicitly.`,
    });
    expect((await store.proposals.get(proposalId))?.state).toBe('proposed');
    expect(harness.manager.executeCalls).toStrictEqual([]);

    await request(harness.url)
      .post(`/v1/actions/${proposalId}/approve`)
      .set('x-api-key', harness.keys.approver)
      .send({ reason: 'stop the bleeding until the PR merges', livePatchOnGitOps: true })
      .expect(200);
    const audit = await store.audit.list({ action: 'proposal.live_patch_on_gitops_chosen' });
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      target: `proposal/${proposalId}`,
      actorRole: 'approver',
      details: {
        tool: 'Argo CD',
        owner: 'Application orders',
        reason: 'stop the bleeding until the PR merges',
      },
    });
    expect(harness.manager.executeCalls[0]?.livePatchOnGitOps?.reason).toMatch(
      /chose a live patch although Argo CD manages the target \(Application orders\): stop the bleeding until the PR merges$/,
    );
  });

  it('400 for a choice that is not exactly true', async () => {
    const { proposalId } = await proposeIn('act-gitops-bad', argoProposal());
    await request(harness.url)
      .post(`/v1/actions/${proposalId}/approve`)
      .set('x-api-key', harness.keys.approver)
      .send({ reason: 'x', livePatchOnGitOps: 'yes' })
      .expect(400);
  });
});

describe('single-operator installs', () => {
  it('lets the starter approve when GATEWAY_ALLOW_SELF_APPROVAL is set, and audits the waiver', async () => {
    harness = await startHarness(store, { GATEWAY_ALLOW_SELF_APPROVAL: 'true' });
    harness.executor.script({
      before: (t) => [makeEvent('proposal', quotaProposal(), t), result('done', t)],
    });
    const own = await harness.investigate({ prompt: 'x', thread_id: 'act-self' }, harness.keys.admin);
    const id = (own.events.find((e) => e.type === 'proposal') as Extract<StreamEvent, { type: 'proposal' }>)
      .data.id;
    await harness.waitForStatus(
      (own.events[0] as Extract<StreamEvent, { type: 'session' }>).data.investigation_id!,
      'completed',
    );
    await decide('approve', id, harness.keys.admin).expect(200);
    const audit = await store.audit.list({ action: 'proposal.self_approval_waived' });
    expect(audit.items[0]).toMatchObject({ target: `proposal/${id}`, actorRole: 'admin' });
  });
});
