import { type Finding } from '@foxhound/contracts';
import { resolveScope } from '../engine';
import { followUps, investigatorPlan, logTarget, scopeFromText } from './offline-plan';

const finding = (reason: string, object: Finding['object'], parent?: Finding['object']): Finding => ({
  id: `${reason}:${object.name}`,
  analyzer: 'test',
  reason,
  severity: 'high',
  object,
  ...(parent ? { parent } : {}),
  symptom: '',
  cause: '',
  evidence: [],
  confidence: 0.9,
});
const pod = { kind: 'Pod', namespace: 'shop', name: 'web-1' };
const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('offline engine plan', () => {
  it.each([
    [
      'names a namespace as a word',
      'checkout in shop is down',
      ['shop', 'payments', 'kube-system'],
      ['shop'],
    ],
    ['ignores a namespace inside a longer name', 'shop-api is slow', ['shop'], []],
    ['takes "default" only when named as a namespace', 'by default it works', ['default'], []],
    [
      'takes the default namespace when said so',
      'pods in the default namespace crash',
      ['default'],
      ['default'],
    ],
  ])('%s', (_name, text, namespaces, named) => {
    expect(scopeFromText(text, namespaces).named).toEqual(named);
  });

  it('leaves system namespaces out of the application scope', () => {
    expect(
      scopeFromText('', ['kube-system', 'cert-manager', 'agent-sandbox-system', 'shop']).application,
    ).toEqual(['cert-manager', 'shop']);
  });

  it.each([
    [
      'a quota',
      finding('QuotaExceeded', { kind: 'ResourceQuota', namespace: 'shop', name: 'q' }),
      'quota_explain',
    ],
    ['a pull failure', finding('ImagePullBackOff', pod, web), 'image_check'],
    [
      'a Service selecting nothing',
      finding('SelectorMatchesNothing', { kind: 'Service', namespace: 'shop', name: 'cart' }),
      'get_endpoints',
    ],
    ['an OOM kill', finding('OOMKilled', pod, web), 'kubectl_top'],
    ['anything else', finding('CrashLoopBackOff', pod, web), 'kubectl_events'],
  ])('confirms %s with the read that fits it, after describing the object', (_name, root, tool) => {
    expect(investigatorPlan(root).map((c) => c.tool)).toEqual(['kubectl_describe', tool]);
  });

  it('reads the logs of the failing pod of the root workload and sizes the impact from it', () => {
    const group = {
      root: finding('CrashLoopBackOff', pod, web),
      symptoms: [finding('ReplicaMismatch', web)],
    };
    expect(logTarget(group)).toEqual({ workload: web, pod });
    expect(followUps(group)).toEqual([
      { tool: 'blast_radius', input: { kind: 'Deployment', namespace: 'shop', name: 'web' } },
    ]);
  });

  it('drops scope values that are not namespace names', () => {
    expect(
      resolveScope({ alert: { title: 't', severity: 'warning', labels: { namespace: 'Not A Namespace' } } }, [
        'fallback',
      ]),
    ).toEqual(['fallback']);
    expect(
      resolveScope(
        {
          context: { namespaces: ['shop', 'shop'] },
          alert: { title: 't', severity: 'warning', labels: {}, namespace: 'payments' },
        },
        [],
      ),
    ).toEqual(['shop', 'payments']);
  });
});
