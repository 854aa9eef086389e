import { type PersistentVolumeClaim, type StorageClass } from '../snapshot';
import { NS, ago, event, snapshot } from '../__fixtures__/build';
import { pvcAnalyzer } from './pvc';

function claim(
  name: string,
  storageClassName: string | undefined,
  phase = 'Pending',
  createdMinutesAgo = 30,
): PersistentVolumeClaim {
  return {
    metadata: { name, namespace: NS, creationTimestamp: ago(createdMinutesAgo) },
    spec: { storageClassName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    status: { phase },
  };
}
const classes: StorageClass[] = [
  {
    metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'ebs.csi.aws.com',
  },
  { metadata: { name: 'gp2' } },
];

describe('pvc analyzer', () => {
  it.each([
    [
      'a StorageClass that does not exist',
      claim('data', 'gp3-encrypted'),
      classes,
      'StorageClassNotFound',
      'it asks for StorageClass gp3-encrypted, which does not exist (classes: gp3, gp2)',
    ],
    [
      'no class and no default class',
      claim('data', undefined),
      [classes[1]],
      'NoDefaultStorageClass',
      'it names no StorageClass and the cluster has no default StorageClass, so nothing provisions it',
    ],
    [
      'a lost volume',
      { ...claim('data', 'gp3', 'Lost'), spec: { storageClassName: 'gp3', volumeName: 'pv-1' } },
      classes,
      'ClaimLost',
      'its PersistentVolume pv-1 no longer exists',
    ],
  ])('reports %s', (_name, pvc, storageClasses, reason, cause) => {
    expect(
      pvcAnalyzer
        .analyze(snapshot({ persistentVolumeClaims: [pvc], storageClasses }))
        .map((f) => [f.reason, f.cause]),
    ).toEqual([[reason, cause]]);
  });

  it("quotes the provisioner's error", () => {
    const s = snapshot({
      persistentVolumeClaims: [claim('data', 'gp3')],
      storageClasses: classes,
      events: [
        event(
          { kind: 'PersistentVolumeClaim', name: 'data' },
          'ProvisioningFailed',
          'failed to provision volume: AccessDenied',
        ),
      ],
    });
    expect(pvcAnalyzer.analyze(s)[0].cause).toBe(
      'the provisioner fails: failed to provision volume: AccessDenied',
    );
  });

  it.each([
    ['a bound claim', claim('data', 'gp3', 'Bound')],
    ['a claim waiting for its first consumer', claim('data', 'gp3')],
    ['a claim created seconds ago', claim('fresh', 'gp3', 'Pending', 0.2)],
  ])('stays quiet for %s', (name, pvc) => {
    const events = name.includes('consumer')
      ? [
          event(
            { kind: 'PersistentVolumeClaim', name: 'data' },
            'WaitForFirstConsumer',
            'waiting for first consumer to be created before binding',
            { type: 'Normal' },
          ),
        ]
      : [];
    expect(
      pvcAnalyzer.analyze(snapshot({ persistentVolumeClaims: [pvc], storageClasses: classes, events })),
    ).toStrictEqual([]);
  });
});
