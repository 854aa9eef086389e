import request from 'supertest';
import { createStore, type Store } from '@foxhound/store';
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

describe('GET /v1/whoami', () => {
  it('200 with the key’s principal, role and permissions, and self-approval off by default', async () => {
    harness = await startHarness(store);
    const approver = await request(harness.url)
      .get('/v1/whoami')
      .set('x-api-key', harness.keys.approver)
      .expect(200);
    expect(approver.body).toStrictEqual({
      id: expect.stringMatching(/^key:/),
      role: 'approver',
      via: 'api-key',
      permissions: ['investigations:read', 'actions:read', 'actions:decide'],
      selfApproval: false,
    });
  });

  it('200 saying self-approval is on when the gateway allows it', async () => {
    harness = await startHarness(store, { GATEWAY_ALLOW_SELF_APPROVAL: 'true' });
    const admin = await request(harness.url)
      .get('/v1/whoami')
      .set('x-api-key', harness.keys.admin)
      .expect(200);
    expect(admin.body).toMatchObject({ role: 'admin', selfApproval: true });
    expect(admin.body.permissions).toContain('keys:manage');
  });

  it('401 without credentials', async () => {
    harness = await startHarness(store);
    const res = await request(harness.url).get('/v1/whoami').expect(401);
    expect(res.body).toStrictEqual({
      detail: 'Missing credentials: send X-API-Key or Authorization: Bearer.',
      code: expect.any(String),
    });
  });
});
