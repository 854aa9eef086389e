// `kube-sim snapshot` as a real child process (TypeScript through the repository's swc loader)
// against a kube-sim serving a scenario through a written kubeconfig: it captures, says what it
// wrote, and the capture loads. Bad arguments exit 2 with the usage, a failed capture 1.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readScenario, startKubeSim, type KubeSim } from '../index';
import { parseDuration, runSnapshot } from './cli';

const REPO = resolve(__dirname, '../../../..');
const CLI = [
  '--conditions=@foxhound/source',
  '-r',
  join(REPO, 'tools/ts-run.cjs'),
  join(__dirname, '..', 'cli.ts'),
  'snapshot',
];

function snapshot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [...CLI, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The subcommand in this process, for the argument checks (no child needed). */
async function inProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  const errors: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  try {
    return { code: await runSnapshot(args), stderr: errors.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

let sim: KubeSim;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kube-sim-snapshot-cli-'));
  sim = await startKubeSim({
    prometheus: false,
    scenarios: [join(REPO, 'scenarios', 'quota-blocks-admission')],
  });
  await sim.writeKubeconfig(join(dir, 'kubeconfig.yaml'));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('kube-sim snapshot', () => {
  it('captures the namespaces through the kubeconfig into a scenario that loads', async () => {
    const out = join(dir, 'capture');
    const r = await snapshot([
      '--kubeconfig',
      join(dir, 'kubeconfig.yaml'),
      '--namespace',
      'orders',
      '--out',
      out,
      '--since',
      '2h',
      '--log-lines',
      '20',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [captured, next] = r.stdout.trim().split('\n');
    expect(captured).toMatch(
      new RegExp(`^captured .*\\b9 Pod\\b.*\\b1 ResourceQuota\\b.* and 9 container logs into ${out}$`),
    );
    expect(next).toBe(
      `edit ${join(out, 'scenario.yaml')} (title, prompt, expect), then: kube-sim check ${out}`,
    );
    const content = await readScenario(out);
    expect(content.manifest.namespaces).toEqual(['orders']);
    expect(content.objects.filter((o) => o.object.kind === 'Pod')).toHaveLength(9);
    expect(content.logs.every((l) => (l.current ?? '').split('\n').filter(Boolean).length <= 20)).toBe(true);
  });

  it.each([
    [['--out', 'x'], '--namespace: at least one --namespace is required'],
    [['--namespace', 'orders'], '--out: '],
    [
      ['--namespace', 'orders', '--out', 'x', '--since', 'two hours'],
      '--since: "two hours" is not a duration like 90s, 2h or 1h30m',
    ],
    [['--namespace', 'orders', '--out', 'x', '--force'], "Unknown option '--force'"],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const { code, stderr } = await inProcess(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain('kube-sim snapshot --namespace NS... --out DIR');
  });

  it('exits 1 naming the problem when the capture fails', async () => {
    const { code, stderr } = await inProcess([
      '--kubeconfig',
      join(dir, 'kubeconfig.yaml'),
      '-n',
      'nope',
      '--out',
      join(dir, 'nope'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^kube-sim snapshot: namespace "nope" not found on http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90],
    ['2h', 7200],
    ['1h30m', 5400],
    ['7d', 604800],
    ['0s', undefined],
    ['2 h', undefined],
    ['1.5h', undefined],
    ['', undefined],
  ])('%j is %j seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });
});
