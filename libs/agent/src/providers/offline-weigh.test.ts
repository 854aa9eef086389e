import { type Finding } from '@foxhound/contracts';
import { type RankedGroup } from '@foxhound/diagnostics';
import { weigh } from './offline-weigh';

const finding = (id: string, o: Partial<Finding> & Pick<Finding, 'object'>): Finding => ({
  id,
  analyzer: 'test',
  reason: id,
  severity: 'high',
  symptom: id,
  cause: id,
  evidence: [],
  confidence: 0.8,
  ...o,
});
const web: RankedGroup = {
  root: finding('CrashLoopBackOff', {
    object: { kind: 'Pod', namespace: 'shop', name: 'web-1' },
    parent: { kind: 'Deployment', namespace: 'shop', name: 'web' },
    evidence: [{ source: 'log', excerpt: 'panic: nil map' }],
  }),
  symptoms: [],
};
const db: RankedGroup = {
  root: finding('OOMKilled', {
    object: { kind: 'Pod', namespace: 'shop', name: 'postgres-0' },
    parent: { kind: 'StatefulSet', namespace: 'shop', name: 'postgres' },
  }),
  symptoms: [],
};
const pod = { kind: 'Pod', namespace: 'shop', name: 'web-1' };
const signal = (line: string, host?: string) => ({
  kind: 'connection-refused' as const,
  line,
  index: 0,
  count: 3,
  ...(host ? { host } : {}),
});

describe('weigh', () => {
  it.each([
    ['no read returned anything: untested', {}, 'untested', 'CrashLoopBackOff'],
    [
      'the object is gone: the next hypothesis replaces it',
      { object: { found: false, text: '' } },
      'replaced',
      'OOMKilled',
    ],
    [
      'the decisive log line names another candidate: it replaces H1',
      {
        logs: {
          pod,
          decisive: signal(
            'dial tcp 10.0.0.9:5432: connect: connection refused (postgres)',
            'postgres.shop.svc',
          ),
        },
      },
      'replaced',
      'OOMKilled',
    ],
    [
      'the decisive line agrees with H1',
      { logs: { pod, decisive: signal('panic: nil map in web handler') } },
      'confirmed',
      'CrashLoopBackOff',
    ],
    [
      'a log read with no error pattern demotes a log-based H1',
      { logs: { pod } },
      'demoted',
      'CrashLoopBackOff',
    ],
    [
      'the describe shows H1 as of now',
      { object: { found: true, text: 'Warning BackOff ... CrashLoopBackOff' } },
      'confirmed',
      'CrashLoopBackOff',
    ],
  ])('%s', (_name, reads, outcome, lead) => {
    const w = weigh([web, db], reads);
    expect(w.hypothesis.outcome).toBe(outcome);
    expect(w.groups[0]!.root.reason).toBe(lead);
    expect(w.hypothesis.reason.length).toBeGreaterThan(0);
  });

  it('lowers the confidence when it demotes', () => {
    expect(weigh([web, db], { logs: { pod } }).confidence).toBeLessThan(web.root.confidence);
  });
});
