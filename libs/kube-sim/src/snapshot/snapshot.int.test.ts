// The snapshot round trip: every public scenario is loaded into one kube-sim, captured through a
// client-node KubeConfig into a new directory, and that capture is replayed by a fresh kube-sim.
// What Foxhound reads must be the same from both: every captured kind's objects with spec,
// status and metadata, events, current and previous logs (and the refusals for containers that
// never ran); Secret values are the one deliberate difference, redacted with their keys kept.
import type * as k8s from '@kubernetes/client-node';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ScenarioManifestSchema } from '@foxhound/contracts';
import { findScenarioDirs, startKubeSim, type KubeSim } from '../index';
import { kubeConfig } from '../testing/client';
import { captureScenario, type CaptureSummary } from './capture';
import { ApiReadError, clusterReader, type ClusterReader } from './http';
import { CAPTURED_KINDS, listPath } from './kinds';
import { REDACTED, redactSecret } from './redact';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SCENARIOS = join(__dirname, '..', '..', '..', '..', 'scenarios');
/** A whole second, so the capture's capturedAt is exactly the clock both servers run on. */
const NOW = new Date('2026-03-02T09:30:00Z');
const SEEDED = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

let tmp: string;
let original: KubeSim;
let replay: KubeSim;
let kc: k8s.KubeConfig;
let namespaces: string[];
let summary: CaptureSummary;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'kube-sim-snapshot-'));
  original = await startKubeSim({
    scenarios: await findScenarioDirs(SCENARIOS),
    now: () => NOW,
    prometheus: false,
  });
  kc = kubeConfig(original);
  namespaces = original.store
    .list('namespaces')
    .items.map((n) => n.metadata.name)
    .sort();
  // Unbounded logs, so the comparison covers every line; the default keeps the newest 200.
  summary = await captureScenario(kc, {
    namespaces,
    out: join(tmp, 'all'),
    now: () => NOW,
    logLines: 100_000,
  });
  replay = await startKubeSim({ scenarios: [join(tmp, 'all')], now: () => NOW, prometheus: false });
}, 120_000);
afterAll(async () => {
  await Promise.all([original?.close(), replay?.close()]);
  await rm(tmp, { recursive: true, force: true });
});

async function pool<T>(tasks: (() => Promise<T>)[], limit = 8): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function withoutVersion(o: Json): Json {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/** Every captured kind's objects in scope, keyed `Kind ns/name`, as a client reads them. */
async function objectsIn(reader: ClusterReader): Promise<Map<string, Json>> {
  const out = new Map<string, Json>();
  for (const ns of namespaces) {
    const o = withoutVersion(await reader.json<Json>(`/api/v1/namespaces/${ns}`));
    // kube-sim seeds these itself, with a fresh uid per server; a scenario does not replace them.
    if (SEEDED.includes(ns)) delete o.metadata.uid;
    out.set(`Namespace ${ns}`, o);
  }
  for (const k of CAPTURED_KINDS) {
    for (const ns of k.namespaced ? namespaces : [undefined]) {
      for (const item of (await reader.json<{ items: Json[] }>(listPath(k, ns))).items) {
        if (k.kind === 'PersistentVolume' && !namespaces.includes(item.spec?.claimRef?.namespace)) continue;
        out.set(`${k.kind} ${ns ?? ''}/${item.metadata.name}`, withoutVersion(item));
      }
    }
  }
  return out;
}

const LOG_QUERIES = [{}, { timestamps: true }, { previous: true }, { tailLines: 5, sinceSeconds: 1800 }];

/** Each container's answer to each log query: the text, or the refusal. */
async function logAnswers(reader: ClusterReader, pods: Json[]): Promise<Record<string, string>> {
  const tasks: (() => Promise<[string, string]>)[] = [];
  for (const pod of pods) {
    const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/log`;
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      for (const query of LOG_QUERIES) {
        const key = `${pod.metadata.namespace}/${pod.metadata.name}/${c.name} ${JSON.stringify(query)}`;
        tasks.push(() =>
          reader.text(path, { container: c.name, ...query }).then(
            (body) => [key, `200 ${body}`],
            (err: unknown) => {
              if (!(err instanceof ApiReadError)) throw err;
              return [key, err.message];
            },
          ),
        );
      }
    }
  }
  return Object.fromEntries(await pool(tasks));
}

describe('kube-sim snapshot round trip over every public scenario', () => {
  it('captures without gaps', () => {
    expect(summary.warnings).toEqual([]);
    expect(summary.capturedAt).toBe('2026-03-02T09:30:00Z');
    expect(summary.logs).toBeGreaterThan(100);
  });

  it('serves the same objects, spec, status and metadata, Secrets redacted with their keys kept', async () => {
    const before = await objectsIn(clusterReader(kc));
    const after = await objectsIn(clusterReader(kubeConfig(replay)));
    for (const [key, o] of before) if (o.kind === 'Secret') before.set(key, redactSecret(o as never));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, o] of before) expect([key, after.get(key)]).toEqual([key, o]);
    const kinds = new Set([...before.values()].map((o) => o.kind));
    for (const k of [
      'Pod',
      'Deployment',
      'ReplicaSet',
      'Event',
      'Secret',
      'ResourceQuota',
      'PodMetrics',
      'NetworkPolicy',
      'Node',
    ])
      expect(kinds).toContain(k);
  });

  it('serves the same logs: current, previous, with timestamps, bounded, and the same refusals', async () => {
    const pods = (await clusterReader(kc).json<{ items: Json[] }>('/api/v1/pods')).items.filter((p) =>
      namespaces.includes(p.metadata.namespace),
    );
    const before = await logAnswers(clusterReader(kc), pods);
    const after = await logAnswers(clusterReader(kubeConfig(replay)), pods);
    expect(after).toEqual(before);
    const answers = Object.values(before);
    expect(answers.some((a) => a.startsWith('200 ') && a.length > 4)).toBe(true);
    expect(answers.some((a) => a.includes('is waiting to start'))).toBe(true);
    expect(answers.some((a) => a.includes('previous terminated container'))).toBe(true);
  });
});

describe('kube-sim snapshot files', () => {
  it('writes redacted Secrets, lists as kubectl prints them, bounded logs and a scenario.yaml to finish by hand', async () => {
    const out = join(tmp, 'payments');
    await captureScenario(kc, { namespaces: ['payments'], out, now: () => NOW, logLines: 3 });
    const config = parse(await readFile(join(out, 'objects', 'config.yaml'), 'utf8')) as Json;
    expect(config).toMatchObject({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' } });
    const secrets = config.items.filter((i: Json) => i.kind === 'Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) {
      expect(Object.keys(s.data).length).toBeGreaterThan(0);
      expect(Object.values(s.data).every((v) => v === REDACTED)).toBe(true);
    }
    const pods = parse(await readFile(join(out, 'objects', 'pods.yaml'), 'utf8')) as Json;
    expect(
      pods.items.every((p: Json) => p.apiVersion === 'v1' && p.kind === 'Pod' && !p.metadata.managedFields),
    ).toBe(true);

    const text = await readFile(join(out, 'scenario.yaml'), 'utf8');
    expect(text).toMatch(
      /^# Captured by `kube-sim snapshot` from http:\/\/127\.0\.0\.1:\d+ at 2026-03-02T09:30:00Z\./,
    );
    // toMatchObject: the schema's defaults for optional fields (follow-ups, sources...) grow with the format.
    expect(ScenarioManifestSchema.parse(parse(text))).toMatchObject({
      title: 'Capture of payments at 2026-03-02T09:30:00Z',
      description: '',
      capturedAt: '2026-03-02T09:30:00Z',
      namespaces: ['payments'],
      prompt: 'What is wrong in payments?',
      expect: { healthy: false, rootCause: [], actions: [] },
      tags: ['captured'],
    });
    const ledger = pods.items.find((p: Json) => p.metadata.name.startsWith('ledger-api-'));
    const log = await readFile(join(out, 'logs', 'payments', ledger.metadata.name, 'ledger-api.log'), 'utf8');
    const lines = log.split('\n').filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /.test(l))).toBe(true);
  });

  it('refuses a non-empty output directory and a namespace the cluster does not have', async () => {
    await expect(captureScenario(kc, { namespaces: ['content'], out: SCENARIOS })).rejects.toThrow(
      `${SCENARIOS} is not empty: choose a new directory for the capture`,
    );
    await expect(captureScenario(kc, { namespaces: ['nope'], out: join(tmp, 'nope') })).rejects.toThrow(
      /^namespace "nope" not found on http:\/\/127\.0\.0\.1:\d+$/,
    );
  });

  it.each([
    [{ namespaces: [] }, 'namespaces'],
    [{ namespaces: ['Bad_Name'] }, 'not a namespace name'],
    [{ namespaces: ['ok'], logLines: -1 }, 'logLines'],
  ])('refuses bad options %j', async (bad, why) => {
    await expect(captureScenario(kc, { out: join(tmp, 'bad'), ...bad } as never)).rejects.toThrow(why);
  });
});
