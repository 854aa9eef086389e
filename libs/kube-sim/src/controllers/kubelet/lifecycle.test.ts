import { backOffSeconds, goSeconds } from './lifecycle';
import { runProbe } from './runtime/probes';

describe('the kubelet restart back-off', () => {
  it('restarts at once the first time, then waits 10 s doubling to 5 min, printed as Go prints durations', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 7].map(backOffSeconds);
    expect(delays).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
    expect(delays.map(goSeconds)).toEqual(['0s', '10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s']);
  });
});

describe('probes against a declared-behaviour container', () => {
  const target = (
    container: Record<string, unknown>,
    ports?: number[],
    files = new Map<string, string>(),
  ) => ({
    container,
    podIP: '10.244.100.7',
    ports: ports && new Set(ports),
    files,
    env: {},
  });

  it.each([
    ['nginx on its port', { httpGet: { path: '/', port: 80 } }, { image: 'nginx:1.27' }, [80], { ok: true }],
    [
      'nginx off its document root',
      { httpGet: { path: '/healthz', port: 80 } },
      { image: 'nginx:1.27' },
      [80],
      { ok: false, message: 'HTTP probe failed with statuscode: 404' },
    ],
    [
      'a port nothing listens on',
      { httpGet: { path: '/', port: 'http' } },
      { image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] },
      [80],
      {
        ok: false,
        message: 'Get "http://10.244.100.7:8080/": dial tcp 10.244.100.7:8080: connect: connection refused',
      },
    ],
    [
      'HTTP against redis',
      { httpGet: { path: '/', port: 6379 } },
      { image: 'redis:7.2' },
      [6379],
      { ok: false, message: 'Get "http://10.244.100.7:6379/": EOF' },
    ],
    ['tcp to redis', { tcpSocket: { port: 6379 } }, { image: 'redis:7.2' }, [6379], { ok: true }],
    [
      'a project image that declares no ports',
      { tcpSocket: { port: 9000 } },
      { image: 'api:1' },
      undefined,
      { ok: true },
    ],
  ])('%s', (_what, probe, container, ports, result) => {
    expect(runProbe(probe, target(container, ports))).toEqual(result);
  });

  it('runs exec probes over the files the container wrote', () => {
    const probe = { exec: { command: ['cat', '/tmp/healthy'] } };
    const busybox = { image: 'busybox:1.36' };
    expect(runProbe(probe, target(busybox, [], new Map([['/tmp/healthy', '']])))).toEqual({ ok: true });
    expect(runProbe(probe, target(busybox, []))).toEqual({
      ok: false,
      message: "cat: can't open '/tmp/healthy': No such file or directory",
    });
  });
});
