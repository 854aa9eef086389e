// The console in a real browser (Debian's Chromium through playwright-core) against a real gateway:
// sign-in and its error paths, the list, an investigation, follow-up, live events, approve, reject,
// rollback, self-approval refused in words, a shared link in a new context, script injection shown
// as text, audit verification and keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { type Page } from 'playwright-core';
import request from 'supertest';
import {
  makeEvent,
  type InvestigationReport,
  type Proposal,
  type StoredProposal,
  type StreamEvent,
} from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { startConsoleRig, type ConsoleRig } from '../__fixtures__/console-browser';
import { result, thought } from '../__fixtures__/fakes';
import { consoleRoutes } from './console';

jest.setTimeout(60_000);

let rig: ConsoleRig;
beforeAll(async () => {
  rig = await startConsoleRig();
}, 120_000);
afterAll(async () => {
  await rig?.close();
});
afterEach(() => {
  expect(rig.problems.splice(0)).toStrictEqual([]);
});

const INJECTION = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;

const quota = (n: number): Proposal => ({
  id: `f${n}:PatchResourceQuota:orders/orders-compute`,
  action: { type: 'DeleteResourceQuota', namespace: 'orders', name: `orders-compute-${n}` },
  summary: `Delete ResourceQuota orders-compute-${n}: it refuses new pods`,
  evidence: [
    { source: 'event', excerpt: `exceeded quota: orders-compute-${n}, requested: requests.memory=1Gi` },
  ],
  expectedEffect: 'The refused pods are created.',
  risk: 'medium',
  rollback: {
    description: `Re-create ResourceQuota orders-compute-${n} from its manifest.`,
    manifest: {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: `orders-compute-${n}`, namespace: 'orders' },
      spec: { hard: { 'requests.memory': '8Gi' } },
    },
  },
  target: { resourceVersion: '812', digest: 'sha256:abc' },
});

const report = (rootCause: string, proposals: Proposal[] = []): InvestigationReport => ({
  summary: 'order-processor has 6 of 8 pods.',
  rootCause,
  healthy: false,
  affected: { kind: 'ResourceQuota', namespace: 'orders', name: 'orders-compute' },
  evidence: [
    { source: 'event', excerpt: 'Error creating: pods "order-processor-x" is forbidden: exceeded quota' },
  ],
  timeline: [],
  impact: 'Orders queue up.',
  blastRadius: [{ kind: 'Deployment', namespace: 'orders', name: 'order-processor' }],
  findings: [],
  proposals,
  confidence: 0.87,
  notChecked: ['older log lines'],
});

/** Runs one scripted turn through the public API; resolves with its id once it has finished. */
async function turn(
  prompt: string,
  options: { key?: string; threadId?: string; rootCause?: string; proposals?: Proposal[] } = {},
): Promise<string> {
  const { rootCause = `ResourceQuota exhausted for: ${prompt}`, proposals = [] } = options;
  rig.executor.script({
    before: (t) => [
      thought('Reading the namespace', t),
      makeEvent(
        'tool_start',
        {
          name: 'kubectl_get',
          tool_use_id: 'tu1',
          input: {},
          summary: 'pods in orders',
          role: 'investigator',
        },
        t,
      ),
      makeEvent(
        'tool_end',
        {
          name: 'kubectl_get',
          tool_use_id: 'tu1',
          success: true,
          status: 'success',
          summary: '8 pods',
          role: 'investigator',
        },
        t,
      ),
      ...proposals.map((p) => makeEvent('proposal', p, t)),
      makeEvent(
        'result',
        {
          text: 'done',
          success: true,
          subtype: 'success',
          provider: 'offline',
          report: report(rootCause, proposals),
        },
        t,
      ),
    ],
  });
  const stream = await openEventStream(`${rig.url}/investigate`, {
    body: { prompt, ...(options.threadId ? { thread_id: options.threadId } : {}) },
    headers: { 'x-api-key': options.key ?? rig.keys.investigator },
  });
  const events: StreamEvent[] = [];
  for await (const frame of stream.frames) events.push(JSON.parse(frame.data) as StreamEvent);
  const session = events[0] as Extract<StreamEvent, { type: 'session' }>;
  const id = session.data.investigation_id!;
  for (let i = 0; i < 500; i++) {
    if ((await rig.store.investigations.get(id))?.status !== 'running') return id;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`investigation ${id} did not finish`);
}

const actionsOf = async (investigationId: string): Promise<StoredProposal[]> =>
  (await rig.store.proposals.list({ investigationId })).filter((p) => !p.proposal.rollbackOf);

const card = (page: Page, summary: RegExp | string) =>
  page.locator('article.action').filter({ hasText: summary });

describe('serving', () => {
  it('serves the page, script and style under a strict CSP with no inline script', async () => {
    await request(rig.url).get('/').expect(302).expect('location', '/console/');
    const page = await request(rig.url)
      .get('/console/')
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(page.text).toContain('<script src="/console/app.js" defer></script>');
    expect(page.text).not.toMatch(/<script>|<style|style=/);
    await request(rig.url)
      .get('/console/app.js')
      .expect(200)
      .expect('content-type', /javascript/);
    await request(rig.url)
      .get('/console/app.css')
      .expect(200)
      .expect('content-type', /text\/css/);
  });

  it('503 naming the build command when the console was not built', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'fh-console-empty-'));
    try {
      const app = express();
      consoleRoutes(app, empty);
      const res = await request(app).get('/console/').expect(503);
      expect(res.text).toBe(
        'The console is not built: run `make build` (or `npx nx run @foxhound/gateway:build`).\n',
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('sign-in', () => {
  it('refuses an empty, malformed and unknown key with a sentence; signs in and out; keeps the key out of the URL', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    await page.goto(`${rig.url}/console/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectAlert(page, 'Enter an API key (fh_…) or a token.');
    await page.getByLabel('API key or token').fill('fh_has a space');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectAlert(page, 'A key or token has no spaces; paste it again.');
    await page.getByLabel('API key or token').fill('fh_000000000000000000000000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectAlert(page, 'Invalid, expired or revoked API key.');
    await rig.shot(page, 'signin-error');

    await page.getByLabel('API key or token').fill(rig.keys.viewer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Investigations' }).waitFor();
    expect(page.url()).not.toContain(rig.keys.viewer);
    expect(await page.evaluate('JSON.stringify(localStorage)')).not.toContain('fh_');
    // A viewer sees neither the start box nor the admin pages.
    expect(await page.getByRole('link', { name: 'Keys' }).count()).toBe(0);
    expect(await page.getByLabel('What is wrong?').count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await context.close();
  });

  it('signs the tab out, saying why, when its key is revoked mid-session', async () => {
    const created = await rig.store.apiKeys.create({ name: 'soon revoked', role: 'viewer' });
    const context = await rig.context();
    const page = await rig.signIn(context, created.key);
    await rig.store.apiKeys.revoke(created.apiKey.id, 'key:test');
    await page.getByText('Signed out: Invalid, expired or revoked API key.').waitFor();
    await page.getByLabel('API key or token').waitFor();
    await context.close();
  });
});

async function expectAlert(page: Page, text: string) {
  await page.getByRole('alert').filter({ hasText: text }).waitFor();
}

describe('investigations', () => {
  let checkout: string;
  beforeAll(async () => {
    checkout = await turn('checkout returns 500s since the deploy', {
      rootCause: 'Deployment shop/checkout runs image checkout:v2, which does not exist',
    });
    await turn('orders queue is backing up');
  });

  it('lists compact rows, searches and filters, and opens one with the report first', async () => {
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.viewer);
    const row = page.locator('tr', { hasText: 'checkout returns 500s since the deploy' });
    await row.getByText('Deployment shop/checkout runs image checkout:v2').waitFor();
    await rig.shot(page, 'investigations-laptop');

    await page.getByLabel('Search').fill('CHECKOUT:V2');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.locator('tr', { hasText: 'orders queue is backing up' }).waitFor({ state: 'detached' });
    expect(page.url()).toContain('q=CHECKOUT%3AV2');
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No investigations match.').waitFor();
    await page.getByRole('link', { name: 'Clear' }).click();

    await page.getByRole('link', { name: 'checkout returns 500s since the deploy' }).click();
    await page.getByRole('heading', { level: 1, name: 'checkout returns 500s since the deploy' }).waitFor();
    expect(page.url()).toContain(`#/investigations/${checkout}`);
    // The report comes before the proposals and the timeline.
    const order = await page.locator('main h2').allTextContents();
    expect(order.slice(0, 2)).toStrictEqual(['Report', 'Proposed actions']);
    await page.getByText('Confidence 87%').waitFor();
    await page.getByText('exceeded quota', { exact: false }).first().waitFor();
    // The timeline is collapsed by role; a group opens on demand and names its tools.
    const group = page.locator('li.group', { hasText: 'investigator' });
    await expect(group.getByText('8 pods').isVisible()).resolves.toBe(false);
    await group.locator('summary').click();
    await group.getByText('✓ kubectl_get 8 pods').waitFor();
    await rig.shot(page, 'investigation-laptop');
    await context.close();
  });

  it('follows up on the thread and shows both turns', async () => {
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.investigator, `#/investigations/${checkout}`);
    rig.executor.script({
      before: (t) => [thought('Comparing image tags', t), result('It is safe to roll back.', t)],
    });
    await page.getByLabel('Question').fill('is it safe to roll back checkout?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByRole('heading', { level: 1, name: 'is it safe to roll back checkout?' }).waitFor();
    await page.getByRole('heading', { name: 'This thread (2 turns)' }).waitFor();
    await page.getByRole('link', { name: 'checkout returns 500s since the deploy' }).waitFor();
    await context.close();
  });

  it('shows a running investigation’s events live, then its end', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    rig.executor.script({
      before: (t) => [thought('first look at the namespace', t)],
      gate,
      after: (t) => [thought('second look: the quota', t), result('done', t)],
    });
    const created = await request(rig.url)
      .post('/v1/investigations')
      .set('x-api-key', rig.keys.investigator)
      .send({ prompt: 'payments latency is up' })
      .expect(201);
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.viewer, `#/investigations/${created.body.id}`);
    await page.getByText('Investigating… the report appears here').waitFor();
    await page.locator('li.group summary').first().click();
    await page.getByText('first look at the namespace').waitFor();
    expect(await page.getByText('second look: the quota').count()).toBe(0);
    release();
    await page
      .locator('li.group', { hasText: 'second look' })
      .or(page.getByText('Finished: success'))
      .first()
      .waitFor();
    await page.getByText('Finished: success').waitFor();
    await page.locator('.page-head .chip', { hasText: 'completed' }).waitFor();
    await context.close();
  });

  it('opens a shared link in a new browser context once the user signs in there', async () => {
    const context = await rig.context();
    const page = await context.newPage();
    await page.goto(`${rig.url}/console/#/investigations/${checkout}`);
    await page.getByLabel('API key or token').fill(rig.keys.viewer);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'checkout returns 500s since the deploy' }).waitFor();
    await context.close();
  });

  it('shows a script-injection payload in a prompt and in an alert as text', async () => {
    const prompted = await turn(INJECTION);
    const alerted = await request(rig.url)
      .post('/v1/alerts')
      .set('x-api-key', rig.keys.investigator)
      .send({ title: `Alert ${INJECTION}`, severity: 'critical', description: INJECTION })
      .expect(202);
    await rig.gateway.runner.drain(5000);
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.viewer);
    await page.getByRole('link', { name: INJECTION, exact: true }).waitFor();
    await page.getByRole('link', { name: `Alert ${INJECTION}`, exact: true }).waitFor();
    await page.goto(`${rig.url}/console/#/investigations/${alerted.body.investigationId}`);
    await page.locator('section.alert').getByText(INJECTION, { exact: true }).waitFor();
    await page.goto(`${rig.url}/console/#/investigations/${prompted}`);
    await page.getByRole('heading', { level: 1, name: INJECTION }).waitFor();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('main img, main script').count()).toBe(0);
    await rig.shot(page, 'injection-as-text');
    await context.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const context = await rig.context('phone');
    const page = await rig.signIn(context, rig.keys.investigator);
    await page.locator('tbody tr').first().waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await rig.shot(page, 'investigations-phone');
    await page.getByRole('link', { name: 'checkout returns 500s since the deploy' }).click();
    await page.getByText('Confidence 87%').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await rig.shot(page, 'investigation-phone');
    await context.close();
  });
});

describe('approvals', () => {
  it('approves with a reason and follows the state to recovered; then rolls it back', async () => {
    const investigation = await turn('orders has 6 of 8 pods', { proposals: [quota(1)] });
    const [action] = await actionsOf(investigation);
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.approver, '#/approvals');
    await page.getByRole('link', { name: /^Approvals \d+ waiting for a decision$/ }).waitFor();
    const pending = card(page, 'Delete ResourceQuota orders-compute-1');
    await pending.getByText('Re-create ResourceQuota orders-compute-1 from its manifest.').waitFor();
    await rig.shot(page, 'approvals-pending');
    await pending.getByRole('button', { name: 'Approve' }).click();
    await pending.getByText('Give a reason to approve; it is kept in the audit trail.').waitFor();
    await pending.getByLabel('Reason (kept in the audit trail)').fill('quota is the cause; raise it');
    await pending.getByRole('button', { name: 'Approve' }).click();
    const applied = page.locator(`article[data-action-id="${action!.proposal.id}"]`);
    await applied.locator('.action-head .chip', { hasText: 'recovered' }).waitFor();
    expect((await rig.store.proposals.get(action!.proposal.id))?.decision).toMatchObject({
      approved: true,
      reason: 'quota is the cause; raise it',
    });
    await rig.shot(page, 'approvals-recovered');

    // Rollback: asked by the approver, approved by someone else (separation of duties).
    await applied.getByLabel('Reason (kept in the audit trail)').fill('the quota was raised elsewhere');
    await applied.getByRole('button', { name: 'Roll back' }).click();
    const rollback = page.locator('article.action', { hasText: 'Roll back DeleteResourceQuota' });
    await rollback.locator('.action-head .chip', { hasText: 'proposed' }).waitFor();
    await rollback.getByText('rollback', { exact: true }).waitFor();

    const admin = await rig.signIn(await rig.context(), rig.keys.admin, '#/approvals?state=proposed');
    const toApprove = admin.locator('article.action', { hasText: 'Roll back DeleteResourceQuota' });
    await toApprove.getByLabel('Reason (kept in the audit trail)').fill('second pair of eyes: ok');
    await toApprove.getByRole('button', { name: 'Approve' }).click();
    await rollback.locator('.action-head .chip', { hasText: 'recovered' }).waitFor();
    await context.close();
  });

  it('asks for the explicit choice before patching an object Argo CD manages, and sends it', async () => {
    const managed: Proposal = {
      ...quota(3),
      lane: {
        lane: 'live-patch',
        reason:
          'Argo CD manages it (Application platform-guardrails): its controller reverts a live patch at the next sync.',
        managedBy: {
          tool: 'Argo CD',
          owner: 'platform-guardrails',
          evidence:
            'annotation argocd.argoproj.io/tracking-id=platform-guardrails:/ResourceQuota:orders/orders-compute-3',
        },
      },
    };
    const investigation = await turn('orders refuses pods under Argo CD', { proposals: [managed] });
    const [action] = await actionsOf(investigation);
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.approver, `#/investigations/${investigation}`);
    const pending = card(page, 'Delete ResourceQuota orders-compute-3');
    await pending.getByLabel('Reason (kept in the audit trail)').fill('raise it now, Git follows');
    await pending.getByRole('button', { name: 'Approve' }).click();
    // Without the choice the gateway refuses, and the card says why in the gateway's words.
    await pending.getByText('livePatchOnGitOps', { exact: false }).waitFor();
    expect((await rig.store.proposals.get(action!.proposal.id))?.state).toBe('proposed');
    // The browser logs the refused request; that one is expected, anything else is not.
    expect(rig.problems.splice(0)).toEqual([expect.stringContaining('status of 409 (Conflict)')]);
    await pending.getByLabel(/Patch the live object anyway: Argo CD \(platform-guardrails\)/).check();
    await pending.getByRole('button', { name: 'Approve' }).click();
    await pending.locator('.action-head .chip', { hasText: 'recovered' }).waitFor();
    await context.close();
  });

  it('rejects with a reason', async () => {
    const investigation = await turn('orders rejects new pods', { proposals: [quota(2)] });
    const [action] = await actionsOf(investigation);
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.approver, `#/investigations/${investigation}`);
    const pending = card(page, 'Delete ResourceQuota orders-compute-2');
    await pending.getByLabel('Reason (kept in the audit trail)').fill('deleting a quota is too broad');
    await pending.getByRole('button', { name: 'Reject' }).click();
    await pending.locator('.action-head .chip', { hasText: 'rejected' }).waitFor();
    expect((await rig.store.proposals.get(action!.proposal.id))?.state).toBe('rejected');
    await context.close();
  });

  it('explains in words why the one who started an investigation cannot approve its fix', async () => {
    const investigation = await turn('orders pods pending', { key: rig.keys.admin, proposals: [quota(3)] });
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.admin, `#/investigations/${investigation}`);
    const pending = card(page, 'Delete ResourceQuota orders-compute-3');
    await pending.getByLabel('Reason (kept in the audit trail)').fill('my own fix');
    await pending.getByRole('button', { name: 'Approve' }).click();
    const refusal = pending.getByRole('alert');
    await refusal
      .getByText('may not approve its actions; another approver must.', { exact: false })
      .waitFor();
    await refusal.getByText('Separation of duties', { exact: false }).waitFor();
    expect((await actionsOf(investigation))[0]?.state).toBe('proposed');
    await rig.shot(page, 'self-approval-refused');
    await context.close();
  });
});

describe('admin pages', () => {
  it('verifies the audit chain and filters the trail', async () => {
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.admin, '#/audit');
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(/^Chain intact: \d+ entries checked/).waitFor();
    await page.getByLabel('Action').fill('proposal.approved');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page
      .locator('tbody tr', { hasNotText: 'proposal.approved' })
      .first()
      .waitFor({ state: 'detached' });
    await page.locator('tbody tr', { hasText: 'proposal.approved' }).first().waitFor();
    await rig.shot(page, 'audit');
    await context.close();
  });

  it('creates a key shown once, lists it, and revokes it; moves by keyboard', async () => {
    const context = await rig.context();
    const page = await rig.signIn(context, rig.keys.admin, '#/keys');
    // By keyboard: the skip link comes first, then the main navigation.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Investigations');
    await page.getByLabel('Name').fill('ci-bot');
    await page.getByLabel('Role').selectOption('approver');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.getByLabel('New key').inputValue();
    expect(secret).toMatch(/^fh_/);
    await request(rig.url).get('/v1/whoami').set('x-api-key', secret).expect(200);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.getByLabel('New key').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
    await page.getByRole('button', { name: 'Revoke ci-bot' }).waitFor({ state: 'detached' });
    await request(rig.url).get('/v1/whoami').set('x-api-key', secret).expect(401);
    await context.close();
  });
});
