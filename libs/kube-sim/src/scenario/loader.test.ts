import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ResourceRegistry } from '../api/registry';
import { parseLogLines, renderLog } from '../logs/log-query';
import { LogStore } from '../logs/log-store';
import { MetricStore } from '../metrics/metric-store';
import { KubeStore } from '../store';
import { applyScenario, findScenarioDirs, readScenario } from './loader';

const FIXTURE = join(__dirname, '__fixtures__', 'crashloop');
const REPO_SCENARIOS = resolve(__dirname, '../../../../scenarios');
// Captured at 12:00; loading at 15:30 shifts everything by 3.5 hours.
const NOW = new Date('2026-01-10T15:30:00Z');

function target() {
  return {
    store: new KubeStore({ registry: new ResourceRegistry() }),
    logs: new LogStore(),
    metrics: new MetricStore(),
  };
}

describe('readScenario + applyScenario', () => {
  it('loads objects as captured, shifted to now, with logs and metrics', async () => {
    const t = target();
    const loaded = applyScenario(await readScenario(FIXTURE, NOW), t);
    expect(loaded).toMatchObject({ name: 'crashloop', objectCount: 9, offsetMs: 3.5 * 3_600_000 });
    const pod = t.store.get('pods', 'shop', 'checkout-7d9f8b6c5-x2x9q') as unknown as {
      metadata: { uid: string; creationTimestamp: string };
      status: {
        containerStatuses: { restartCount: number; lastState: { terminated: { finishedAt: string } } }[];
      };
    };
    expect(pod.metadata.uid).toBe('9d2e3f4a-4444-4c8d-8f3a-000000000004');
    expect(pod.metadata.creationTimestamp).toBe('2026-01-10T14:30:00Z');
    expect(pod.status.containerStatuses[0].restartCount).toBe(7);
    expect(pod.status.containerStatuses[0].lastState.terminated.finishedAt).toBe('2026-01-10T15:28:31Z');
    expect(t.store.get('pods.metrics.k8s.io', 'shop', 'checkout-7d9f8b6c5-x2x9q')).toMatchObject({
      timestamp: '2026-01-10T15:29:45Z',
    });
    expect(t.logs.get('shop', 'checkout-7d9f8b6c5-x2x9q', 'app')?.previous).toContain(
      '2026-01-10T15:28:30.900000000Z FATAL: DATABASE_URL is not set',
    );
    const restarts = t.metrics
      .all()
      .find((s) => s.labels.__name__ === 'kube_pod_container_status_restarts_total');
    expect(restarts?.samples.at(-1)).toEqual({ t: NOW.getTime() / 1000, v: 7 });
  });

  it('serves an application log exactly as written, each line at the time the application wrote on it', async () => {
    const t = target();
    const content = await readScenario(FIXTURE, NOW);
    const log = content.logs.find((l) => l.pod === 'checkout-7d9f8b6c5-x2x9q')!;
    // Spring Boot starts its lines with an RFC 3339 time of its own; a stack trace has none.
    const written = [
      'Picked up JAVA_TOOL_OPTIONS: -Xmx512m',
      '2026-01-10T15:20:00.000Z  INFO 1 --- [main] c.e.App : Started',
      '2026-01-10T15:25:00.250Z ERROR 1 --- [exec-1] c.e.Api : request failed',
      'java.lang.OutOfMemoryError: Java heap space',
      '\tat c.e.Api.handle(Api.java:42)',
      '10.0.1.5 - - [10/Jan/2026:15:26:00 +0000] "GET / HTTP/1.1" 500 12',
      '',
    ].join('\n');
    log.current = written;
    applyScenario(content, t);
    const stored = t.logs.get('shop', 'checkout-7d9f8b6c5-x2x9q', 'app')!.current;
    const lines = parseLogLines(stored, NOW);
    expect(renderLog(lines, {})).toBe(written);
    expect(lines.map((l) => l.time.toISOString())).toEqual([
      '2026-01-10T15:20:00.000Z', // before the first timed line: that line's time
      '2026-01-10T15:20:00.000Z',
      '2026-01-10T15:25:00.250Z',
      '2026-01-10T15:25:00.250Z', // the trace inherits its header's time
      '2026-01-10T15:25:00.250Z',
      '2026-01-10T15:26:00.000Z', // the access log's own clock
    ]);
    expect(renderLog(lines, { since: new Date('2026-01-10T15:25:30Z') })).toBe(
      '10.0.1.5 - - [10/Jan/2026:15:26:00 +0000] "GET / HTTP/1.1" 500 12\n',
    );
  });

  it('keeps ownerReferences, so deleting the Deployment cascades through the captured ReplicaSet to the pod', async () => {
    const t = target();
    applyScenario(await readScenario(FIXTURE, NOW), t);
    t.store.delete('deployments.apps', 'shop', 'checkout');
    expect(t.store.list('pods', { namespace: 'shop' }).items).toEqual([]);
  });

  it('an object defined twice is an error naming the file', async () => {
    const t = target();
    const content = await readScenario(FIXTURE, NOW);
    applyScenario(content, t);
    expect(() => applyScenario(content, t)).toThrow(
      /cluster\.yaml: v1 Service shop\/checkout is already loaded/,
    );
  });

  describe('bad scenarios', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kube-sim-scenario-'));
      await mkdir(join(dir, 'objects'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    const manifest = 'title: t\ncapturedAt: "2026-01-10T12:00:00Z"\nnamespaces: [a]\nprompt: p\nexpect: {}\n';

    it.each([
      [
        'a manifest without a prompt or alert',
        'title: t\ncapturedAt: "2026-01-10T12:00:00Z"\nnamespaces: [a]\nexpect: {}\n',
        undefined,
        /a scenario needs a prompt or an alert/,
      ],
      [
        'an unknown kind',
        manifest,
        'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: a}\n',
        /does not serve example.com\/v1 Widget/,
      ],
      [
        'an object without a name',
        manifest,
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
        /every object needs apiVersion, kind and metadata.name/,
      ],
      ['broken YAML', manifest, 'apiVersion: v1\nkind: [\n', /objects\/x\.yaml/],
    ])('%s', async (_name, manifestText, objects, message) => {
      await writeFile(join(dir, 'scenario.yaml'), manifestText);
      if (objects) await writeFile(join(dir, 'objects', 'x.yaml'), objects);
      await expect(readScenario(dir, NOW).then((c) => applyScenario(c, target()))).rejects.toThrow(message);
    });
  });
});

describe('the repository scenarios', () => {
  it('every directory under scenarios/ loads on its own, and all of them load together', async () => {
    const dirs = await findScenarioDirs(REPO_SCENARIOS);
    const failures: string[] = [];
    const together = target();
    for (const dir of dirs) {
      try {
        const content = await readScenario(dir);
        applyScenario(content, target());
        applyScenario(content, together);
      } catch (err) {
        failures.push(`${dir}: ${(err as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
