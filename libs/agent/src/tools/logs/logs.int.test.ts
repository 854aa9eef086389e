// fetch_pod_logs against kube-sim through the real client: a search that covers the whole log and
// not only its tail, time-bounded reads, every pod of a workload, and an oversize answer that keeps
// its header and the matching lines.
import { type Harness, startHarness } from '../../__fixtures__/harness';

const NS = 'bookings';
const POD = 'pricing-service-6d9b7f5c8d-7zv4l';
const CONTAINER = 'pricing-service';
// Reads are memoised per turn, so each test that rewrites a log uses a pod of its own.
const OTHER_PRICING = 'pricing-service-6d9b7f5c8d-l7ttf';
const AVAILABILITY = ['availability-service-c9b5d8f76c-fmksz', 'availability-service-c9b5d8f76c-lmxkp'];

const stamp = (minutesAgo: number): string => new Date(Date.now() - minutesAgo * 60_000).toISOString();

describe('fetch_pod_logs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(['cascading-failure']);
  });
  afterAll(() => h.close());

  const setLog = (lines: string[], pod = POD, container = CONTAINER) =>
    h.sim.logs.set(NS, pod, container, { current: `${lines.join('\n')}\n` });
  const call = (input: Record<string, unknown>) =>
    h.call('fetch_pod_logs', { namespace: NS, ...input }, 'log_analyst');

  it('searches the whole log, not only the newest lines', async () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `INFO request ${i} served in 12ms`);
    lines[10] = 'FATAL config reload failed: unknown key "pricing.currency"';
    setLog(lines);
    const tail = await call({ pod: POD });
    expect(tail.text).not.toContain('FATAL');
    const out = await call({ pod: POD, grep: 'fatal' });
    expect(out.status).toBe('success');
    expect(out.text.split('\n').slice(0, 3)).toEqual([
      `5000 lines from the log of ${NS}/${POD} (${CONTAINER}).`,
      'Read: the whole log (5,000 lines, fewer than the 50,000 asked for).',
      expect.stringMatching(/^Error patterns: |^1 line\(s\) match "fatal"\.$/),
    ]);
    expect(out.text).toContain('1 line(s) match "fatal".');
    expect(out.text.endsWith('---\nFATAL config reload failed: unknown key "pricing.currency"')).toBe(true);
  });

  it('shows context around each match, groups separated as grep does', async () => {
    setLog(['a', 'b', 'ERROR one', 'c', 'd', 'e', 'f', 'ERROR two', 'g'], OTHER_PRICING);
    const out = await call({ pod: OTHER_PRICING, grep: 'error', context: 1 });
    expect(out.text.split('---\n')[1]).toBe('b\nERROR one\nc\n--\nf\nERROR two\ng');
  });

  it('reads only the lines written since a time', async () => {
    setLog(
      Array.from({ length: 60 }, (_, i) => `${stamp(60 - i)} tick ${i}`),
      AVAILABILITY[0],
      'availability-service',
    );
    const out = await call({ pod: AVAILABILITY[0], since: '10m' });
    const body = out.text.split('---\n')[1]!.split('\n');
    expect(body.length).toBeGreaterThanOrEqual(9);
    expect(body.length).toBeLessThanOrEqual(11);
    expect(body[body.length - 1]).toBe('tick 59');
    expect(out.text).toMatch(
      /Read: the whole window the last 10m \(\d+ lines, fewer than the 200 asked for\)\./,
    );
  });

  it('keeps the header and the newest matching lines when the answer is larger than its budget', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) =>
      i % 10 === 0
        ? `ERROR upstream pricing-db:5432 refused connection, attempt ${i} ${'x'.repeat(40)}`
        : `INFO cache refresh ${i} ${'y'.repeat(60)}`,
    );
    setLog(lines, AVAILABILITY[1], 'availability-service');
    const out = await call({ pod: AVAILABILITY[1], grep: 'refused' });
    expect(out.text.length).toBeLessThanOrEqual(24_000);
    const text = out.text.split('\n');
    expect(text[0]).toBe(`20000 lines from the log of ${NS}/${AVAILABILITY[1]} (availability-service).`);
    expect(out.text).toContain('2000 line(s) match "refused".');
    expect(out.text).toMatch(
      /\n---\n\[\.\.\. [\d,]+ earlier line\(s\) cut to fit the output budget; narrow with grep, since or tailLines, or read one pod \.\.\.\]\n/,
    );
    expect(text[text.length - 1]).toMatch(
      /^ERROR upstream pricing-db:5432 refused connection, attempt 19990 /,
    );
    expect(text.filter((l) => l.startsWith('INFO'))).toEqual([]);
  });

  it('reads the container of every pod of a workload, the failing ones first', async () => {
    const out = await call({ workload: 'booking-api', tailLines: 5 });
    expect(out.status).toBe('success');
    const lines = out.text.split('\n');
    expect(lines[0]).toBe(
      'Logs of Deployment bookings/booking-api (booking-api): 3 pod(s); read: the newest 5 lines.',
    );
    expect(lines.filter((l) => /^ {2}booking-api-f8c6d9b74f-\w+: \d+ lines/.test(l))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('== booking-api-f8c6d9b74f-'))).toHaveLength(3);
    expect(out.summary).toMatch(/^Deployment bookings\/booking-api: 3 pod\(s\) read; /);
  });

  it('searches every pod of a workload', async () => {
    const out = await call({ workload: 'booking-api', grep: 'ECONNREFUSED' });
    expect(out.text).toMatch(/\d+ line\(s\) match "ECONNREFUSED" across the pods\./);
    expect(out.text).toContain('ECONNREFUSED 10.96.176.199:6379');
  });

  it.each([
    [{ pod: POD, workload: 'booking-api' }, 'Give exactly one of pod (one pod) or workload'],
    [{}, 'Give exactly one of pod (one pod) or workload'],
    [
      { workload: 'nope' },
      'No Deployment, StatefulSet, DaemonSet, Job or CronJob named nope in bookings; find_resource finds names.',
    ],
    [{ pod: POD, since: 'yesterday' }, 'since: a duration such as 90s, 15m, 2h, 1d, or an RFC 3339 time'],
    [
      { pod: POD, since: '90d' },
      'since "90d" is not a duration (90s, 15m, 2h, 1d, at most 30d) or an RFC 3339 time.',
    ],
  ])('answers %j clearly', async (input, message) => {
    const out = await call(input);
    expect(out.status).not.toBe('success');
    expect(out.text).toContain(message);
  });
});

describe('fetch_pod_logs for a CronJob', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(['ledger-export-cronjob-blocked']);
  });
  afterAll(() => h.close());

  it("reads the pods of the CronJob's newest Job", async () => {
    const out = await h.call(
      'fetch_pod_logs',
      { namespace: 'finance-exports', workload: 'ledger-export' },
      'log_analyst',
    );
    expect(out.status).toBe('success');
    expect(out.text.split('\n')[0]).toMatch(
      /^Logs of CronJob finance-exports\/ledger-export, its newest Job ledger-export-\d+ \(\S+\): 1 pod\(s\); read: /,
    );
  });
});
