// The Prometheus-compatible endpoint over a scenario's metric series, as a Prometheus client sees it.
import { startKubeSim, type KubeSim } from '../index';
import { CRASHLOOP_SCENARIO } from '../testing/client';

// The fixture is captured at 12:00 with samples at 11:45, 11:50, 11:55 and 12:00; loading it "now"
// at a fixed time keeps the sample times predictable.
const NOW = new Date('2026-02-01T08:00:00Z');
const T = NOW.getTime() / 1000;

let sim: KubeSim;
beforeAll(async () => {
  sim = await startKubeSim({ scenarios: [CRASHLOOP_SCENARIO], now: () => NOW });
});
afterAll(() => sim.close());

async function prom(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(sim.prometheusUrl + path, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Prometheus API', () => {
  it('instant query of a selector', async () => {
    const r = await prom(
      '/api/v1/query?query=' +
        encodeURIComponent('kube_pod_container_status_restarts_total{namespace="shop"}'),
    );
    expect(r).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: {
          resultType: 'vector',
          result: [
            {
              metric: {
                __name__: 'kube_pod_container_status_restarts_total',
                namespace: 'shop',
                pod: 'checkout-7d9f8b6c5-x2x9q',
                container: 'app',
              },
              value: [T, '7'],
            },
          ],
        },
      },
    });
  });

  it('rate over a window, posted as a form like Grafana does', async () => {
    const r = await prom('/api/v1/query', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        query: 'sum by (service) (rate(http_requests_total{code="500"}[15m]))',
        time: String(T),
      }).toString(),
    });
    expect(r.body).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { service: 'checkout' }, value: [T, '1'] }] },
    });
  });

  it('range query returns a matrix', async () => {
    const q = new URLSearchParams({
      query: 'max_over_time(kube_pod_container_status_restarts_total[5m])',
      start: String(T - 600),
      end: String(T),
      step: '300',
    });
    const r = await prom(`/api/v1/query_range?${q}`);
    expect(r.body).toEqual({
      status: 'success',
      data: {
        resultType: 'matrix',
        result: [
          {
            metric: { namespace: 'shop', pod: 'checkout-7d9f8b6c5-x2x9q', container: 'app' },
            values: [
              [T - 600, '5'],
              [T - 300, '6'],
              [T, '7'],
            ],
          },
        ],
      },
    });
  });

  it('series, labels and label values', async () => {
    expect((await prom('/api/v1/label/service/values')).body).toEqual({
      status: 'success',
      data: ['checkout'],
    });
    expect(((await prom('/api/v1/labels')).body.data as string[]).slice(0, 3)).toEqual([
      '__name__',
      'code',
      'container',
    ]);
    const series = await prom('/api/v1/series?' + new URLSearchParams({ 'match[]': 'http_requests_total' }));
    expect(series.body.data).toEqual([
      { __name__: 'http_requests_total', namespace: 'shop', service: 'checkout', code: '500' },
    ]);
  });

  it.each([
    [
      'a query that does not parse',
      '/api/v1/query?query=' + encodeURIComponent('rate(x[5m]'),
      /^parse error at char \d+: expected "\)"$/,
    ],
    ['a range query without a step', '/api/v1/query_range?query=x&start=1&end=2', /invalid duration ""/],
    [
      'too many points',
      '/api/v1/query_range?query=x&start=0&end=100000&step=1',
      /exceeded maximum resolution of 11,000 points/,
    ],
  ])('400 bad_data for %s', async (_name, path, message) => {
    const r = await prom(path);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ status: 'error', errorType: 'bad_data', error: expect.stringMatching(message) });
  });
});
