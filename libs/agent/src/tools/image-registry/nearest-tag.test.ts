import { closestVersions, nearestTag } from './nearest-tag';

describe('which existing tag is safe to name for a missing one', () => {
  it.each([
    [
      'the same version spelled with a v',
      { requested: '3.12.1', registryTags: ['v3.11.4', 'v3.12.1', 'v3.13.0'], ranBefore: [] },
      {
        kind: 'propose',
        tag: 'v3.12.1',
        evidence: [
          'the registry lists 3 tag(s); it has no 3.12.1 but has v3.12.1, the same version spelled differently.',
        ],
      },
    ],
    [
      'a tag the previous revision ran, still listed',
      {
        requested: '3.12.1',
        registryTags: ['3.11.4', '3.13.0'],
        ranBefore: [{ tag: '3.11.4', seenIn: 'ReplicaSet web-5d4 (revision 3)' }],
      },
      {
        kind: 'propose',
        tag: '3.11.4',
        evidence: [
          'the registry lists 2 tag(s); it has no 3.12.1.',
          'The cluster ran 3.11.4 (ReplicaSet web-5d4 (revision 3)) and the registry still lists it.',
        ],
      },
    ],
    [
      'nothing but other versions: no safe fix, the nearest shown',
      { requested: '3.12.1', registryTags: ['3.13.0', '3.12.0', '2.0.0', 'latest'], ranBefore: [] },
      {
        kind: 'no-safe-fix',
        reason:
          'no safe fix: the registry has no tag 3.12.1, and the cluster ran none of the tags it lists; a different version would be a guess.',
        evidence: [
          'the registry lists 4 tag(s); nearest by version: 3.12.0, 3.13.0, 2.0.0.',
          'The cluster ran no other tag of this repository.',
        ],
      },
    ],
    [
      'a tag the cluster ran that the registry no longer lists',
      {
        requested: '1.0.1',
        registryTags: ['2.0.0'],
        ranBefore: [{ tag: '1.0.0', seenIn: 'ReplicaSet a (revision 1)' }],
      },
      {
        kind: 'no-safe-fix',
        reason:
          'no safe fix: the registry has no tag 1.0.1, and the cluster ran none of the tags it lists; a different version would be a guess.',
        evidence: [
          'the registry lists 1 tag(s); nearest by version: 2.0.0.',
          'The cluster ran 1.0.0, which the registry no longer lists.',
        ],
      },
    ],
    [
      'two spellings of the version: ambiguous, so the previous one decides',
      {
        requested: '1.2',
        registryTags: ['V1.2', 'v1.2', '1.1'],
        ranBefore: [{ tag: '1.1', seenIn: 'ReplicaSet a (revision 1)' }],
      },
      {
        kind: 'propose',
        tag: '1.1',
        evidence: [
          'the registry lists 3 tag(s); it has no 1.2.',
          'The cluster ran 1.1 (ReplicaSet a (revision 1)) and the registry still lists it.',
        ],
      },
    ],
    [
      'the tag exists after all',
      { requested: '1.2', registryTags: ['1.2'], ranBefore: [] },
      {
        kind: 'exists',
        evidence: ['the registry lists 1 tag(s), 1.2 among them: the pull fails for another reason.'],
      },
    ],
  ])('%s', (_name, input, decision) => {
    expect(nearestTag(input)).toStrictEqual(decision);
  });

  it('orders versions by the first component that differs, major first', () => {
    expect(closestVersions('v2.4.1', ['2.4.0', '2.5.1', '3.4.1', '1.9.9', 'main', '2.4.3'])).toStrictEqual([
      '2.4.0',
      '2.4.3',
      '2.5.1',
      '1.9.9',
      '3.4.1',
    ]);
    expect(closestVersions('latest', ['1.0'])).toStrictEqual([]);
  });
});
