import { MetricStore } from '../metrics/metric-store';
import { evaluate } from './evaluate';
import { PromQLError, parseDuration, parsePromQL } from './promql';

const store = new MetricStore();
store.add([
  {
    metric: { __name__: 'http_requests_total', service: 'checkout', code: '500' },
    values: [
      [0, '0'],
      [60, '60'],
      [120, '120'],
      [180, '30'],
      [240, '90'],
    ],
  },
  {
    metric: { __name__: 'http_requests_total', service: 'checkout', code: '200' },
    values: [
      [0, '0'],
      [240, '2400'],
    ],
  },
  {
    metric: { __name__: 'http_requests_total', service: 'cart', code: '200' },
    values: [
      [0, '0'],
      [240, '240'],
    ],
  },
  {
    metric: { __name__: 'memory_bytes', pod: 'a' },
    values: [
      [100, '5'],
      [200, '9'],
      [230, '7'],
    ],
  },
]);

const at = (q: string, t = 240) => evaluate(parsePromQL(q), store, t);
const values = (q: string, t = 240) => {
  const v = at(q, t);
  return typeof v === 'number' ? v : v.map((s) => [s.metric, s.value]);
};

describe('PromQL subset', () => {
  it.each([
    [
      'an instant selector takes the newest sample',
      'memory_bytes',
      [[{ __name__: 'memory_bytes', pod: 'a' }, 7]],
    ],
    [
      'label matchers',
      'http_requests_total{service="checkout",code!="200"}',
      [[{ __name__: 'http_requests_total', service: 'checkout', code: '500' }, 90]],
    ],
    [
      'regex matchers',
      'http_requests_total{service=~"cart|nope"}',
      [[{ __name__: 'http_requests_total', service: 'cart', code: '200' }, 240]],
    ],
    [
      'rate counts a counter reset and drops the name',
      'rate(http_requests_total{code="500"}[5m])',
      [[{ service: 'checkout', code: '500' }, 210 / 240]],
    ],
    [
      'increase over the range',
      'increase(http_requests_total{service="cart"}[5m])',
      [[{ service: 'cart', code: '200' }, 240]],
    ],
    ['max_over_time', 'max_over_time(memory_bytes[5m])', [[{ pod: 'a' }, 9]]],
    [
      'sum by',
      'sum by (service) (http_requests_total)',
      [
        [{ service: 'checkout' }, 2490],
        [{ service: 'cart' }, 240],
      ],
    ],
    ['sum without', 'sum without (code, service) (http_requests_total)', [[{}, 2730]]],
    ['a number literal', '42', 42],
  ])('%s: %s', (_name, query, expected) => {
    expect(values(query)).toEqual(expected);
  });

  it('the 5-minute lookback hides stale series', () => {
    expect(values('memory_bytes', 231 + 300)).toEqual([]);
  });

  it.each([
    ['a bare range vector', 'memory_bytes[5m]'],
    ['an unknown function', 'histogram_quantile(0.9, x)'],
    ['an unterminated string', 'x{a="b}'],
    ['a bad duration', 'rate(x[5 minutes])'],
    ['trailing garbage', 'x y'],
  ])('rejects %s', (_name, query) => {
    expect(() => at(query)).toThrow(PromQLError);
  });

  it('parses durations', () => {
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('15')).toBe(15);
  });
});
