// analyze_logs against kube-sim serving a real-shaped cascade (cascading-failure): templates, counts,
// classes and entities of a caller's log instead of its raw lines, through the real client.
import { type Harness, startHarness } from '../../__fixtures__/harness';

describe('analyze_logs on a cascading failure', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(['cascading-failure']);
  });
  afterAll(() => h.close());

  it("returns ranked templates, classes and entities of a caller's log", async () => {
    const out = await h.call(
      'analyze_logs',
      { namespace: 'bookings', pod: 'booking-api-f8c6d9b74f-4dkp4' },
      'log_analyst',
    );
    expect(out.status).toBe('success');
    const lines = out.text.split('\n');
    expect(lines[0]).toMatch(
      /^\d+ lines \(\d+ events, \d+ KiB\) from the log of bookings\/booking-api-f8c6d9b74f-4dkp4 \(booking-api\) (over|in the last) /,
    );
    expect(out.text).toMatch(/Formats: json \d+/);
    expect(out.text).toMatch(
      /Cause classes: connection-refused x\d+ \(connections to 10\.96\.176\.199:6379 are refused\)/,
    );
    expect(out.text).toContain('[error] x');
    expect(out.text).toContain(
      'session lookup failed: ReplyError: LOADING Redis is loading the dataset in memory',
    );
    expect(out.text).toContain('entities: hosts 10.96.176.199:6379');
    expect(out.text.length).toBeLessThanOrEqual(16_000);
  });

  it.each([
    ['an unknown container', { container: 'sidecar' }, 'error', 'has no container "sidecar"'],
    ['a pod that does not exist', { pod: 'nope' }, 'no_data', 'Pod bookings/nope not found.'],
    [
      'a previous log of a container that never restarted',
      { previous: true },
      'no_data',
      'has not restarted',
    ],
  ] as const)('answers %s clearly', async (_name, override, status, message) => {
    const out = await h.call(
      'analyze_logs',
      { namespace: 'bookings', pod: 'booking-api-f8c6d9b74f-4dkp4', ...override },
      'log_analyst',
    );
    expect(out.status).toBe(status);
    expect(out.text).toContain(message);
  });
});
