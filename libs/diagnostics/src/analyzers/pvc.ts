// PersistentVolumeClaim analyzer: claims stuck Pending (a StorageClass that does not exist, no
// default class, the provisioner's error) and claims whose volume is Lost.
import { type Finding } from '@foxhound/contracts';
import { lookup, type Lookup } from '../lookup';
import { type ClusterSnapshot, type PersistentVolumeClaim } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { toMillis } from '../util/time';
import { type Analyzer } from './types';

/** A claim pending for less than this may simply be provisioning. */
const PROVISIONING_MS = 60 * 1000;
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

function analyze(l: Lookup, pvc: PersistentVolumeClaim): Finding[] {
  const ref = refOf('PersistentVolumeClaim', pvc);
  const phase = pvc.status?.phase;
  if (phase === 'Lost') {
    return [
      makeFinding('pvc', 'ClaimLost', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} is Lost`,
        cause: `its PersistentVolume ${pvc.spec.volumeName ?? ''} no longer exists`,
        evidence: [evidence.field('status.phase', 'Lost')],
        confidence: 0.85,
        docs: DOCS.pvc,
      }),
    ];
  }
  if (phase !== 'Pending') return [];
  const classes = l.snapshot.objects.storageClasses;
  const className = pvc.spec.storageClassName;
  const events = l.eventsFor(ref);
  const failed = events.find((e) => e.reason === 'ProvisioningFailed');
  const waiting = events.find((e) => e.reason === 'WaitForFirstConsumer');
  if (className && classes.length && !classes.some((c) => c.metadata.name === className)) {
    return [
      makeFinding('pvc', 'StorageClassNotFound', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} is Pending`,
        cause: `it asks for StorageClass ${className}, which does not exist (classes: ${classes.map((c) => c.metadata.name).join(', ')})`,
        evidence: [
          evidence.field('spec.storageClassName', className),
          ...(failed ? [evidence.event(failed)] : []),
        ],
        confidence: 0.92,
        docs: DOCS.storageClasses,
      }),
    ];
  }
  if (
    (className === undefined || className === null) &&
    !pvc.spec.volumeName &&
    classes.length &&
    !classes.some((c) => c.metadata.annotations?.[DEFAULT_CLASS] === 'true')
  ) {
    return [
      makeFinding('pvc', 'NoDefaultStorageClass', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} is Pending`,
        cause:
          'it names no StorageClass and the cluster has no default StorageClass, so nothing provisions it',
        evidence: [evidence.field('spec.storageClassName', null)],
        confidence: 0.85,
        docs: DOCS.storageClasses,
      }),
    ];
  }
  if (failed) {
    return [
      makeFinding('pvc', 'ProvisioningFailed', ref, {
        severity: 'high',
        symptom: `${describeRef(ref)} is Pending`,
        cause: `the provisioner fails: ${failed.message ?? ''}`,
        evidence: [evidence.event(failed)],
        confidence: 0.85,
        docs: DOCS.pvc,
      }),
    ];
  }
  const age = l.now - (toMillis(pvc.metadata.creationTimestamp) ?? l.now);
  if (waiting || age < PROVISIONING_MS) return [];
  return [
    makeFinding('pvc', 'ClaimPending', ref, {
      severity: 'medium',
      symptom: `${describeRef(ref)} is Pending`,
      cause: 'no volume has been bound or provisioned for it',
      evidence: [evidence.field('status.phase', 'Pending')],
      confidence: 0.5,
      docs: DOCS.pvc,
    }),
  ];
}

export const pvcAnalyzer: Analyzer = {
  name: 'pvc',
  kinds: ['PersistentVolumeClaim', 'StorageClass'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    return l.list('persistentVolumeClaims').flatMap((pvc) => analyze(l, pvc));
  },
};
