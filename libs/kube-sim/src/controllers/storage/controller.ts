// The PersistentVolume controller and a provisioner as one kube-sim Controller. Claims created
// through the API get the default class (DefaultStorageClass admission, classes.ts); then each
// claim is reconciled from a work queue: a claim of a class that does not exist stays Pending with
// the PV controller's `ProvisioningFailed` event (`storageclass.storage.k8s.io "x" not found`) and
// is retried, at once when a StorageClass appears; a WaitForFirstConsumer class waits
// (`WaitForFirstConsumer` event) until a pod uses the claim; a provisioning class gets a volume
// (`Provisioning`, `ProvisioningSucceeded`) and both are Bound; a claim with no class binds to a
// matching Available volume. A deleted claim's volume is deleted (reclaim policy Delete) or
// Released (Retain). A fresh cluster (no StorageClass, no Node) gets `standard` as its default. Loaded claims stay as captured until changed through the API.
import { type KubeStore, type StoreEvent } from '../../store';
import { type KubeObject, type StoredObject } from '../../types';
import { ApiWriteTracker } from '../api-writes';
import { type Controller } from '../controller';
import { EventRecorder } from '../events';
import { WorkQueue, type ReconcileResult } from '../work-queue';
import { CLASSES, defaultClaimClass, NO_PROVISIONER, STANDARD_CLASS, waitsForConsumer } from './classes';
import { boundClaim, boundClaimStatus, matchingVolume, provisionedVolume } from './volumes';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface StorageControllerOptions {
  /** Install `standard` (default, Immediate) in a fresh cluster: no StorageClass, no Node (default true). */
  defaultClass?: boolean;
  /** First retry of a claim that cannot be provisioned (default 1 s), doubling to 30 s. */
  retryMs?: number;
  onError?: (error: unknown, key: string) => void;
}

const claimsUsedBy = (pod: KubeObject): string[] =>
  (((pod as Json).spec?.volumes ?? []) as Json[])
    .map((v) => v.persistentVolumeClaim?.claimName)
    .filter((n): n is string => typeof n === 'string');

function usedByAPod(store: KubeStore, claim: StoredObject): boolean {
  return store
    .list('pods', { namespace: claim.metadata.namespace })
    .items.some((p) => claimsUsedBy(p).includes(claim.metadata.name!));
}

interface Recorders {
  pv: EventRecorder;
  provisioner: (name: string) => EventRecorder;
}

function bind(store: KubeStore, claim: StoredObject, volume: KubeObject, provisioner?: string): void {
  const updated = store.update(
    'persistentvolumeclaims',
    boundClaim(claim, volume, provisioner) as KubeObject,
  );
  store.update('persistentvolumeclaims', { ...updated, status: boundClaimStatus(volume) } as KubeObject, {
    subresource: 'status',
  });
}

function syncClaim(store: KubeStore, events: Recorders, namespace: string, name: string): ReconcileResult {
  const claim = store.find('persistentvolumeclaims', namespace, name);
  if (!claim || claim.metadata.deletionTimestamp || (claim as Json).spec?.volumeName) return;
  const className: string = (claim as Json).spec?.storageClassName ?? '';
  const storageClass = className ? store.find(CLASSES, undefined, className) : undefined;
  if (className && !storageClass) {
    events.pv.record(
      claim,
      'Warning',
      'ProvisioningFailed',
      `storageclass.storage.k8s.io "${className}" not found`,
    );
    return 'backoff';
  }
  const provisioner: string | undefined = (storageClass as Json | undefined)?.provisioner;
  if (!provisioner || provisioner === NO_PROVISIONER) {
    const volume = matchingVolume(claim, store.list('persistentvolumes').items);
    if (!volume) {
      if (!className)
        events.pv.record(
          claim,
          'Normal',
          'FailedBinding',
          'no persistent volumes available for this claim and no storage class is set',
        );
      return 'backoff';
    }
    const claimed = store.update('persistentvolumes', {
      ...volume,
      spec: {
        ...(volume as Json).spec,
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name,
          namespace,
          uid: claim.metadata.uid,
        },
      },
    } as KubeObject);
    store.update(
      'persistentvolumes',
      { ...claimed, status: { ...(claimed as Json).status, phase: 'Bound' } } as KubeObject,
      {
        subresource: 'status',
      },
    );
    bind(store, claim, claimed);
    return;
  }
  if (waitsForConsumer(storageClass) && !usedByAPod(store, claim)) {
    events.pv.record(
      claim,
      'Normal',
      'WaitForFirstConsumer',
      'waiting for first consumer to be created before binding',
    );
    return;
  }
  const recorder = events.provisioner(provisioner);
  recorder.record(
    claim,
    'Normal',
    'Provisioning',
    `External provisioner is provisioning volume for claim "${namespace}/${name}"`,
  );
  const volume = store.create('persistentvolumes', provisionedVolume(claim, storageClass!, store.now()));
  recorder.record(
    claim,
    'Normal',
    'ProvisioningSucceeded',
    `Successfully provisioned volume ${volume.metadata.name}`,
  );
  bind(store, claim, volume, provisioner);
}

/** A claim is gone: its volume follows the reclaim policy. */
function reclaim(store: KubeStore, claim: StoredObject): void {
  for (const volume of store.list('persistentvolumes').items) {
    const spec = (volume as Json).spec ?? {};
    if (spec.claimRef?.uid !== claim.metadata.uid) continue;
    if ((spec.persistentVolumeReclaimPolicy ?? 'Retain') === 'Delete') {
      store.delete('persistentvolumes', undefined, volume.metadata.name!);
    } else {
      store.update(
        'persistentvolumes',
        { ...volume, status: { ...(volume as Json).status, phase: 'Released' } } as KubeObject,
        {
          subresource: 'status',
        },
      );
    }
  }
}

export function storageController(options: StorageControllerOptions = {}): Controller {
  const tracker = new ApiWriteTracker();
  const cleanups: (() => void)[] = [];
  let queue: WorkQueue | undefined;
  return {
    name: 'persistentvolume-controller',
    start({ store }) {
      // Only a fresh cluster gets one: a captured cluster (it has nodes) stays as it was.
      const fresh =
        store.list(CLASSES, { limit: 1 }).items.length === 0 &&
        store.list('nodes', { limit: 1 }).items.length === 0;
      if (options.defaultClass !== false && fresh) store.create(CLASSES, STANDARD_CLASS);
      tracker.attach(store);
      const recorders = new Map<string, EventRecorder>();
      const events: Recorders = {
        pv: new EventRecorder(store, { component: 'persistentvolume-controller' }),
        provisioner: (name) => {
          let r = recorders.get(name);
          if (!r) recorders.set(name, (r = new EventRecorder(store, { component: name })));
          return r;
        },
      };
      const q = (queue = new WorkQueue({
        name: 'persistentvolume-controller',
        baseBackoffMs: options.retryMs ?? 1000,
        maxBackoffMs: 30_000,
        onError: options.onError,
        reconcile: (key) => {
          const slash = key.indexOf('/');
          return syncClaim(store, events, key.slice(0, slash), key.slice(slash + 1));
        },
      }));
      const pendingClaims = (namespace?: string) =>
        store
          .list('persistentvolumeclaims', namespace ? { namespace } : {})
          .items.filter((c) => !(c as Json).spec?.volumeName);
      const keyOf = (o: StoredObject) => `${o.metadata.namespace}/${o.metadata.name}`;
      const onChange = (e: StoreEvent) => {
        if (!tracker.isApiChange(e)) return;
        const { group, plural } = e.resource;
        if (group === '' && plural === 'persistentvolumeclaims') {
          if (e.type === 'DELETED') reclaim(store, e.object);
          else q.add(keyOf(e.object));
        }
        // A class or volume appearing may be what a pending claim waits for.
        if (
          (group === 'storage.k8s.io' && plural === 'storageclasses') ||
          (group === '' && plural === 'persistentvolumes')
        ) {
          if (e.type === 'ADDED')
            for (const c of pendingClaims()) {
              q.forget(keyOf(c));
              q.add(keyOf(c));
            }
          if (
            plural === 'persistentvolumes' &&
            e.type === 'ADDED' &&
            !(e.object as Json).status?.phase &&
            !(e.object as Json).spec?.claimRef
          )
            store.update('persistentvolumes', { ...e.object, status: { phase: 'Available' } } as KubeObject, {
              subresource: 'status',
            });
        }
        if (group === '' && plural === 'pods' && e.type === 'ADDED') {
          const names = claimsUsedBy(e.object);
          for (const c of pendingClaims(e.object.metadata.namespace))
            if (names.includes(c.metadata.name!)) q.add(keyOf(c));
        }
      };
      cleanups.push(
        store.addAdmissionHook({
          name: 'DefaultStorageClass',
          resources: ['persistentvolumeclaims'],
          operations: ['CREATE'],
          mutate: (request) => defaultClaimClass(store, request),
        }),
        store.subscribe(onChange),
      );
    },
    stop() {
      for (const c of cleanups.splice(0)) c();
      queue?.stop();
      tracker.stop();
    },
  };
}
