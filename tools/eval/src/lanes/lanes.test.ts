// The perturbation lanes over real scenarios, read as the harness reads them: what each lane changes,
// and that it changes nothing else (a lane that broke the scenario would measure the lane).
import { resolve } from 'node:path';
import { type ScenarioContent, readScenario } from '@foxhound/kube-sim';
import { casesOf } from '.';
import { allText } from './rewrite';

const SCENARIOS = resolve(__dirname, '../../../../scenarios');
const now = new Date('2026-01-01T12:00:00Z');
const read = (name: string) => readScenario(resolve(SCENARIOS, name), now);

describe('lanes', () => {
  let quota: ScenarioContent;
  let secret: ScenarioContent;
  let healthy: ScenarioContent;

  beforeAll(async () => {
    [quota, secret, healthy] = await Promise.all([
      read('quota-blocks-admission'),
      read('missing-secret'),
      read('healthy-namespace'),
    ]);
  });

  it('renames every user-chosen name consistently, in objects, logs, metrics, prompt and expectations', () => {
    const [c] = casesOf('renamed', { scenarios: [secret], now });
    const text = allText(c!.contents[0]!);
    for (const name of ['shipping', 'carrier-api-keys', 'carrier-api-credentials', 'label-printer'])
      expect(text.toLowerCase()).not.toContain(name);
    const m = c!.manifest;
    const ns = m.namespaces[0]!;
    expect(ns).not.toBe('shipping');
    expect(m.expect.object).toEqual({ kind: 'Secret', namespace: ns, name: expect.any(String) });
    // Token-wise: the missing Secret (named only by the pod spec and the expectation) and its
    // replacement keep their shared prefix, so "a Secret of almost the same name" survives.
    const objects = c!.contents[0]!.objects.map((o) => o.object);
    const secrets = objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name as string);
    const [a, b] = [
      m.expect.object!.name,
      secrets.find((s) => s !== m.expect.object!.name && s.split('-').length === 3),
    ];
    expect(a.split('-').slice(0, 2)).toEqual(b!.split('-').slice(0, 2));
    // A family of names is renamed with its members: what is left of `carrier-api` is the new prefix.
    expect(text.toLowerCase()).not.toContain('carrier-api');
    // The API stays the API, and nodes keep their shared names.
    expect(objects.every((o) => !/alder|birch/.test(o.apiVersion))).toBe(true);
    expect(objects.filter((o) => o.kind === 'Node').map((o) => o.metadata.name)).toEqual(
      secret.objects.filter((o) => o.object.kind === 'Node').map((o) => o.object.metadata.name),
    );
    // Logs move with their pods.
    const pods = new Set(objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata.name));
    expect(c!.contents[0]!.logs.every((l) => pods.has(l.pod) && l.namespace === ns)).toBe(true);
  });

  it('asks a neutral question naming only the scope', () => {
    const [c] = casesOf('neutral', { scenarios: [quota], now });
    expect(c!.manifest.prompt).toBe('something is wrong in namespace orders');
    expect(c!.manifest.alert).toBeUndefined();
    expect(c!.manifest.expect).toEqual(quota.manifest.expect);
  });

  it('adds a healthy namespace worth of workloads and harmless log lines, colliding with nothing', () => {
    const [c] = casesOf('noise', { scenarios: [quota], healthy, now });
    const content = c!.contents[0]!;
    const added = content.objects.slice(quota.objects.length).map((o) => o.object);
    expect(added.map((o) => o.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'ReplicaSet', 'Pod', 'Service', 'Event', 'CronJob']),
    );
    expect(added.every((o) => o.metadata.namespace === 'orders')).toBe(true);
    const keys = content.objects.map(
      (o) => `${o.object.kind}/${o.object.metadata.namespace}/${o.object.metadata.name}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    const uids = content.objects.flatMap((o) =>
      o.object.kind !== 'Node' && o.object.metadata.uid ? [o.object.metadata.uid] : [],
    );
    expect(new Set(uids).size).toBe(uids.length);
    const ips = content.objects.flatMap((o) =>
      o.object.kind === 'Pod'
        ? [(o.object.status as { podIP?: string } | undefined)?.podIP].filter(Boolean)
        : [],
    );
    expect(new Set(ips).size).toBe(ips.length);
    const original = quota.logs.find((l) => l.current)!;
    const noisy = content.logs.find((l) => l.pod === original.pod && l.container === original.container)!;
    expect(noisy.current!.endsWith(original.current!)).toBe(true);
    const prefix = noisy.current!.slice(0, -original.current!.length);
    expect(prefix).toContain('/healthz');
    // In the log's own shape: JSON lines before JSON, plain text before plain text.
    expect(prefix.startsWith('{')).toBe(original.current!.trimStart().startsWith('{'));
    expect(c!.manifest).toEqual(quota.manifest);
  });

  it('merges two incidents into one case that expects both', () => {
    const [first] = casesOf('merged', { scenarios: [quota, secret, healthy], now });
    expect(first!.name).toBe('quota-blocks-admission+missing-secret');
    expect(first!.contents).toEqual([quota, secret]);
    const m = first!.manifest;
    expect(m.namespaces).toEqual(['orders', 'shipping']);
    expect(m.prompt).toBe(`${quota.manifest.prompt} Separately: ${secret.manifest.prompt}`);
    expect(m.followUps).toEqual([]);
    expect(m.expect).toMatchObject({
      healthy: false,
      rootCause: [],
      actions: [],
      concurrent: [
        {
          rootCause: quota.manifest.expect.rootCause,
          object: quota.manifest.expect.object,
          actions: ['PatchResourceQuota', 'DeleteResourceQuota'],
        },
        { rootCause: secret.manifest.expect.rootCause, object: secret.manifest.expect.object, actions: [] },
      ],
    });
    // Two scenarios in one namespace cannot share a cluster: each is paired with the next that fits.
    const sameNamespace = { ...secret, name: 'also-shipping' };
    expect(casesOf('merged', { scenarios: [quota, secret, sameNamespace], now }).map((c) => c.name)).toEqual([
      'quota-blocks-admission+missing-secret',
      'missing-secret+quota-blocks-admission',
      'also-shipping+quota-blocks-admission',
    ]);
    // A healthy scenario has no incident to merge.
    expect(casesOf('merged', { scenarios: [quota, secret, healthy], now }).map((c) => c.name)).toEqual([
      'quota-blocks-admission+missing-secret',
      'missing-secret+quota-blocks-admission',
    ]);
  });
});
