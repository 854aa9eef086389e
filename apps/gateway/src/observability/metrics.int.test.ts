// The gateway's domain metrics on /metrics: ended investigations by status and failure code, denials
// before authentication by reason, human decisions, open client streams and the store buffer.
import request from 'supertest';
import { makeEvent, type Proposal, type StreamEvent } from '@foxhound/contracts';
import { createStore, type Store } from '@foxhound/store';
import { result, thought } from '../__fixtures__/fakes';
import { startHarness, type Harness } from '../__fixtures__/harness';

let store: Store;
let harness: Harness;
beforeAll(async () => {
  store = await createStore({});
  harness = await startHarness(store);
});
afterAll(async () => {
  await harness.close();
  await store.close();
});

const proposal: Proposal = {
  id: 'p1:ScaleDeployment:shop/checkout',
  action: { type: 'ScaleDeployment', namespace: 'shop', name: 'checkout', replicas: 3 },
  summary: 'Scale checkout back to 3 replicas',
  evidence: [{ source: 'field', path: 'spec.replicas', excerpt: '0' }],
  expectedEffect: 'checkout serves traffic again',
  risk: 'low',
  rollback: { description: 'scale back to 0' },
};

it('counts what happened, with labels from fixed sets', async () => {
  harness.executor.script({
    before: (t) => [thought('looking', t), makeEvent('proposal', proposal, t), result('scale it back', t)],
  });
  const { events } = await harness.investigate({ prompt: 'checkout is down', thread_id: 'metrics-1' });
  const id = (events[0] as Extract<StreamEvent, { type: 'session' }>).data.investigation_id!;
  await harness.waitForStatus(id, 'completed');
  harness.executor.script({ before: (t) => [thought('reading', t)], die: true });
  const lost = await harness.investigate({ prompt: 'x', thread_id: 'metrics-2' });
  await harness.waitForStatus(
    (lost.events[0] as Extract<StreamEvent, { type: 'session' }>).data.investigation_id!,
    'failed',
  );
  const streamed = events.find((e) => e.type === 'proposal') as Extract<StreamEvent, { type: 'proposal' }>;
  await request(harness.url)
    .post(`/v1/actions/${streamed.data.id}/reject`)
    .set('x-api-key', harness.keys.approver)
    .send({ reason: 'not now' })
    .expect(200);
  await request(harness.url).get('/v1/investigations').expect(401);

  const { text } = await request(harness.url).get('/metrics').expect(200);
  for (const line of [
    'foxhound_gateway_investigations_finished_total{status="completed",code="none"} 1',
    'foxhound_gateway_investigations_finished_total{status="failed",code="sandbox_lost"} 1',
    'foxhound_gateway_action_decisions_total{decision="rejected"} 1',
    'foxhound_gateway_denied_requests_total{reason="missing credentials"} 1',
    'foxhound_gateway_live_streams 0',
    'foxhound_gateway_store_buffer_events 0',
    'foxhound_gateway_investigations_swept_total 0',
  ]) {
    expect(text.split('\n')).toContain(line);
  }
});
