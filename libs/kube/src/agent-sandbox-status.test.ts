import { type SandboxClaim, type Sandbox } from '@foxhound/contracts';
import { claimReadiness, describeReadiness, orderPodIPs, sandboxReadiness } from './agent-sandbox-status';

const claim = (status: SandboxClaim['status'], deleting = false): SandboxClaim => ({
  apiVersion: 'extensions.agents.x-k8s.io/v1beta1',
  kind: 'SandboxClaim',
  metadata: { name: 'c', ...(deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { warmPoolRef: { name: 'pool' } },
  status,
});
const ready = (status: 'True' | 'False', reason: string, message?: string) => [
  { type: 'Ready', status, reason, ...(message ? { message } : {}) },
];

describe('claimReadiness', () => {
  it.each([
    ['no status yet', undefined, { state: 'pending', reason: 'Pending' }],
    [
      'Ready with a sandbox name and IPs (IPv4 first)',
      {
        conditions: ready('True', 'DependenciesReady'),
        sandbox: { name: 'pool-abcde', podIPs: ['fd00::1', '10.0.0.7'] },
      },
      { state: 'ready', sandboxName: 'pool-abcde', podIPs: ['10.0.0.7', 'fd00::1'] },
    ],
    [
      'Ready without a sandbox name is not ready',
      { conditions: ready('True', 'DependenciesReady') },
      { state: 'pending', reason: 'DependenciesReady' },
    ],
    [
      'a sandbox that is still starting',
      { conditions: ready('False', 'SandboxNotReady', 'pod pending'), sandbox: { name: 'c' } },
      { state: 'pending', reason: 'SandboxNotReady', message: 'pod pending' },
    ],
    [
      'a missing warm pool',
      { conditions: ready('False', 'WarmPoolNotFound', 'SandboxWarmPool "p" not found') },
      { state: 'failed', reason: 'WarmPoolNotFound', message: 'SandboxWarmPool "p" not found' },
    ],
    [
      'a missing template',
      { conditions: ready('False', 'TemplateNotFound') },
      { state: 'failed', reason: 'TemplateNotFound' },
    ],
    [
      'an expired claim',
      { conditions: ready('False', 'ClaimExpired') },
      { state: 'failed', reason: 'ClaimExpired' },
    ],
    [
      'rejected env injection',
      { conditions: ready('False', 'EnvVarsInjectionRejected') },
      { state: 'failed', reason: 'EnvVarsInjectionRejected' },
    ],
    [
      'a transient reconciler error',
      { conditions: ready('False', 'ReconcilerError') },
      { state: 'pending', reason: 'ReconcilerError' },
    ],
  ] as const)('%s', (_name, status, expected) => {
    expect(claimReadiness(claim(status as SandboxClaim['status']))).toEqual(expected);
  });

  it('a claim being deleted has failed', () => {
    expect(claimReadiness(claim(undefined, true))).toMatchObject({ state: 'failed', reason: 'Deleting' });
  });
});

describe('sandboxReadiness', () => {
  const sandbox = (status: Sandbox['status']): Sandbox => ({
    apiVersion: 'agents.x-k8s.io/v1beta1',
    kind: 'Sandbox',
    metadata: { name: 'sb' },
    spec: { podTemplate: { spec: {} } },
    status,
  });
  it.each([
    [
      'Ready with an IP',
      { conditions: ready('True', 'DependenciesReady'), podIPs: ['10.0.0.1'] },
      { state: 'ready', sandboxName: 'sb', podIPs: ['10.0.0.1'] },
    ],
    [
      'Ready without an IP is not routable yet',
      { conditions: ready('True', 'DependenciesReady') },
      { state: 'pending', reason: 'DependenciesReady' },
    ],
    [
      'dependencies not ready',
      { conditions: ready('False', 'DependenciesNotReady') },
      { state: 'pending', reason: 'DependenciesNotReady' },
    ],
    ['a failed pod', { conditions: ready('False', 'PodFailed') }, { state: 'failed', reason: 'PodFailed' }],
    [
      'an expired sandbox',
      { conditions: ready('False', 'SandboxExpired') },
      { state: 'failed', reason: 'SandboxExpired' },
    ],
  ] as const)('%s', (_name, status, expected) => {
    expect(sandboxReadiness(sandbox(status as Sandbox['status']))).toEqual(expected);
  });
});

describe('helpers', () => {
  it('orders IPv4 before IPv6 and tolerates no IPs', () => {
    expect(orderPodIPs(['::1', '10.1.1.1', 'fe80::2', '10.1.1.2'])).toEqual([
      '10.1.1.1',
      '10.1.1.2',
      '::1',
      'fe80::2',
    ]);
    expect(orderPodIPs(undefined)).toEqual([]);
  });
  it('describes readiness for errors', () => {
    expect(describeReadiness({ state: 'pending', reason: 'SandboxNotReady', message: 'x' })).toBe(
      'SandboxNotReady: x',
    );
    expect(describeReadiness({ state: 'failed', reason: 'ClaimExpired' })).toBe('ClaimExpired');
    expect(describeReadiness({ state: 'ready', sandboxName: 'sb', podIPs: [] })).toBe('ready (sb)');
  });
});
