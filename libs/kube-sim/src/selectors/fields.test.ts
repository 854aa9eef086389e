import { BUILTIN_RESOURCES } from '../api/resources';
import { type KubeObject } from '../types';
import { matchesFields, parseFieldSelector, pinnedName } from './fields';

const pods = BUILTIN_RESOURCES.find((r) => r.group === '' && r.plural === 'pods')!;
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop' },
  spec: { nodeName: 'node-a' },
  status: { phase: 'Running' },
};

describe('field selectors', () => {
  it.each([
    ['name', 'metadata.name=web-1', true],
    ['namespace inequality', 'metadata.namespace!=shop', false],
    ['status.phase', 'status.phase=Running', true],
    ['spec.nodeName on another node', 'spec.nodeName=node-b', false],
    ['two terms', 'status.phase=Running,spec.nodeName==node-a', true],
    ['a missing field compares as empty', 'status.podIP=', true],
  ])('%s: %s', (_name, selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector, pods), pod)).toBe(expected);
  });

  it('400 with the real message for an unsupported field label', () => {
    expect(() => parseFieldSelector('spec.containers=x', pods)).toThrow(
      'field label not supported: spec.containers',
    );
  });

  it('finds the pinned name', () => {
    expect(pinnedName(parseFieldSelector('status.phase=Running,metadata.name=web-1', pods))).toBe('web-1');
    expect(pinnedName(parseFieldSelector('metadata.name!=web-1', pods))).toBeUndefined();
  });
});
