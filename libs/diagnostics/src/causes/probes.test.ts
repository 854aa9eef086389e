import { type Container } from '../snapshot';
import { explainProbe, parseProbeFailure, probePort } from './probes';

const app: Container = {
  name: 'app',
  ports: [{ name: 'http', containerPort: 8080 }],
  livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, timeoutSeconds: 1 },
};

describe('explainProbe', () => {
  it.each([
    [
      'the log says it listens elsewhere',
      app,
      'Get "http://10.0.0.1:8080/healthz": dial tcp 10.0.0.1:8080: connect: connection refused',
      ['level=INFO msg="http server listening" addr=:8081'],
      {
        kind: 'port-mismatch',
        probePort: 8080,
        listeningPort: 8081,
        text: 'the probe checks port 8080 but the process listens on port 8081',
      },
    ],
    [
      'a named port the container lacks',
      { ...app, ports: [] },
      undefined,
      [],
      { kind: 'named-port-missing' },
    ],
    [
      'a port the container does not declare',
      { ...app, livenessProbe: { tcpSocket: { port: 9090 } } },
      'dial tcp 10.0.0.1:9090: connect: connection refused',
      [],
      { kind: 'undeclared-port', probePort: 9090 },
    ],
    [
      'a path that does not exist',
      app,
      'HTTP probe failed with statuscode: 404',
      [],
      {
        kind: 'path-not-found',
        text: 'the probe path /healthz returns 404 on port 8080: the application does not serve it',
      },
    ],
    [
      'an application that reports itself unhealthy',
      app,
      'HTTP probe failed with statuscode: 503',
      ['listening on :8080'],
      { kind: 'http-error' },
    ],
    [
      'a slow application',
      app,
      'Get "http://10.0.0.1:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      [],
      {
        kind: 'timeout',
        text: 'the probe times out after 1s: the application answers too slowly or not at all',
      },
    ],
  ])('%s', (_name, container, message, lines, expected) => {
    expect(
      explainProbe(container as Container, (container as Container).livenessProbe!, message, lines),
    ).toMatchObject(expected);
  });

  it('says nothing without a failure or a mismatch', () => {
    expect(explainProbe(app, app.livenessProbe!, undefined, ['listening on :8080'])).toBeUndefined();
  });

  it('resolves named ports and parses messages', () => {
    expect(probePort(app.livenessProbe!, app)).toBe(8080);
    expect(
      parseProbeFailure('Liveness probe errored: rpc error: command /bin/check exited with exit code 1'),
    ).toEqual({ kind: 'exec-failed' });
  });
});
