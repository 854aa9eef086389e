// Secrets in what an executor streams (tool output read from logs and env, the answer, a proposal's
// evidence) are redacted before the gateway stores or relays them; a proposal's action stays exact.
import { makeEvent, type Proposal, type StreamEvent } from '@foxhound/contracts';
import { ConfigError, loadConfig } from '@foxhound/service-kit';
import { createStore, type Store } from '@foxhound/store';
import { GatewayConfigSchema } from '../config/schema';
import { startHarness, type Harness } from '../__fixtures__/harness';

let store: Store;
let harness: Harness;
beforeAll(async () => {
  store = await createStore({});
  harness = await startHarness(store, { GATEWAY_REDACT_PATTERNS: '["corp-[0-9a-f]{16}"]' });
});
afterAll(async () => {
  await harness.close();
  await store.close();
});

const proposal: Proposal = {
  id: 'p1:ScaleDeployment:shop/checkout',
  action: { type: 'ScaleDeployment', namespace: 'shop', name: 'checkout', replicas: 3 },
  summary: 'Scale checkout back to 3 replicas',
  evidence: [{ source: 'log', excerpt: 'connect postgres://checkout:Pa55word@pg:5432/shop refused' }],
  expectedEffect: 'checkout serves traffic again',
  risk: 'low',
  rollback: { description: 'scale back to 0' },
};

it('redacts tool output, the answer and proposal evidence before they are stored or streamed', async () => {
  harness.executor.script({
    before: (t) => [
      makeEvent(
        'tool_end',
        {
          name: 'fetch_pod_logs',
          tool_use_id: 'tu_1',
          success: true,
          status: 'success',
          output:
            'DB_PASSWORD=hunter2\nAuthorization: Bearer abcdef0123456789abcdef\nlicence corp-0123456789abcdef',
        },
        t,
      ),
      makeEvent('proposal', proposal, t),
      makeEvent(
        'result',
        { text: 'The key AKIAIOSFODNN7EXAMPLE was rotated.', success: true, subtype: 'success' },
        t,
      ),
    ],
  });
  const { events } = await harness.investigate({ prompt: 'why is checkout down?', thread_id: 'redaction' });
  const id = (events[0] as Extract<StreamEvent, { type: 'session' }>).data.investigation_id!;
  const investigation = await harness.waitForStatus(id, 'completed');
  const stored = (await store.events.list(id)).map((e) => e.event);
  expect(stored).toStrictEqual(events);

  const toolEnd = stored.find((e) => e.type === 'tool_end') as Extract<StreamEvent, { type: 'tool_end' }>;
  expect(toolEnd.data.output).toBe(
    'DB_PASSWORD=[redacted]\nAuthorization: Bearer [redacted]\nlicence [redacted]',
  );
  const streamed = stored.find((e) => e.type === 'proposal') as Extract<StreamEvent, { type: 'proposal' }>;
  expect(streamed.data.evidence[0]!.excerpt).toBe(
    'connect postgres://checkout:[redacted]@pg:5432/shop refused',
  );
  expect(streamed.data.action).toStrictEqual(proposal.action);
  const [recorded] = await store.proposals.list({ investigationId: id });
  expect(recorded!.proposal.evidence[0]!.excerpt).toBe(streamed.data.evidence[0]!.excerpt);
  expect(investigation.resultText).toBe('The key [redacted] was rotated.');
});

it('refuses a redaction pattern that does not compile, naming the variable', () => {
  expect(() =>
    loadConfig(GatewayConfigSchema, {
      SANDBOX_MANAGER_URL: 'http://127.0.0.1:1',
      SANDBOX_ROUTER_URL: 'http://127.0.0.1:2',
      GATEWAY_REDACT_PATTERNS: '["(unclosed"]',
    }),
  ).toThrow(ConfigError);
  expect(() =>
    loadConfig(GatewayConfigSchema, {
      SANDBOX_MANAGER_URL: 'http://127.0.0.1:1',
      SANDBOX_ROUTER_URL: 'http://127.0.0.1:2',
      GATEWAY_REDACT_PATTERNS: '["(unclosed"]',
    }),
  ).toThrow(/GATEWAY_REDACT_PATTERNS/);
});
