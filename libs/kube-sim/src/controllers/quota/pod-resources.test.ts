import { type KubeObject } from '../../types';
import { formatResourceList } from './quantity';
import { missingDeclarations, podLimits, podQuotaUsage, podRequests } from './pod-resources';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function pod(spec: Json, phase = 'Running'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec, status: { phase } };
}
const c = (name: string, requests?: Json, limits?: Json, extra: Json = {}) => ({
  name,
  image: 'x',
  resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) },
  ...extra,
});

describe('podRequests and podLimits', () => {
  it.each([
    [
      'sums the containers',
      { containers: [c('a', { cpu: '100m' }), c('b', { cpu: '250m', memory: '64Mi' })] },
      { cpu: '350m', memory: '64Mi' },
    ],
    [
      'takes a limit as the missing request',
      { containers: [c('a', undefined, { memory: '1Gi' })] },
      { memory: '1Gi' },
    ],
    [
      'takes the largest init container when it is bigger than the sum',
      {
        initContainers: [c('init', { cpu: '2' })],
        containers: [c('a', { cpu: '500m' }), c('b', { cpu: '500m' })],
      },
      { cpu: '2' },
    ],
    [
      'adds a sidecar (restartable init container) to everything after it',
      {
        initContainers: [
          c('sidecar', { cpu: '100m' }, undefined, { restartPolicy: 'Always' }),
          c('migrate', { cpu: '1' }),
        ],
        containers: [c('a', { cpu: '200m' })],
      },
      { cpu: '1100m' },
    ],
    [
      'adds pod overhead',
      { containers: [c('a', { cpu: '100m' })], overhead: { cpu: '10m' } },
      { cpu: '110m' },
    ],
  ])('%s', (_what, spec, expected) => {
    expect(formatResourceList(podRequests(pod(spec)))).toEqual(expected);
  });

  it('limits follow the same rules, overhead only where a limit exists', () => {
    const spec = {
      containers: [c('a', undefined, { memory: '256Mi' }), c('b', undefined, { memory: '256Mi' })],
      overhead: { memory: '8Mi', cpu: '10m' },
    };
    expect(formatResourceList(podLimits(pod(spec)))).toEqual({ memory: '520Mi' });
  });
});

describe('podQuotaUsage', () => {
  it('names usage as the quota evaluator does', () => {
    const usage = podQuotaUsage(
      pod({ containers: [c('a', { cpu: '250m', 'nvidia.com/gpu': '1' }, { memory: '1Gi' })] }),
    );
    expect(formatResourceList(usage)).toEqual({
      'count/pods': '1',
      pods: '1',
      cpu: '250m',
      'requests.cpu': '250m',
      memory: '1Gi',
      'requests.memory': '1Gi',
      'limits.memory': '1Gi',
      'requests.nvidia.com/gpu': '1',
    });
  });

  it.each(['Succeeded', 'Failed'])('a %s pod holds only its object count', (phase) => {
    expect(formatResourceList(podQuotaUsage(pod({ containers: [c('a', { cpu: '1' })] }, phase)))).toEqual({
      'count/pods': '1',
    });
  });
});

describe('missingDeclarations', () => {
  it('names each undeclared resource with its containers, sorted, as the real message does', () => {
    const p = pod({
      containers: [c('web', { cpu: '1' }), c('proxy')],
      initContainers: [c('init', undefined, { memory: '1Gi' })],
    });
    expect(missingDeclarations(p, ['limits.memory', 'requests.cpu', 'pods'])).toBe(
      'limits.memory for: proxy,web; requests.cpu for: init,proxy',
    );
    expect(missingDeclarations(p, ['pods', 'count/pods'])).toBeUndefined();
  });
});
