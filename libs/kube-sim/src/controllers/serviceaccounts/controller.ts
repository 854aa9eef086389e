// The ServiceAccounts controller (kubernetes pkg/controller/serviceaccount): every namespace has a
// `default` ServiceAccount, created with the namespace (and again if deleted), so pods that name
// none are admitted. Namespaces already loaded from a scenario without one get it when the
// controller starts, as the cluster they were captured from had it. The token controller's Secrets are left out (TokenRequest mints
// tokens, see src/auth/token-request.ts).
import { type KubeStore } from '../../store';
import { ApiWriteTracker } from '../api-writes';
import { type Controller } from '../controller';

function ensureDefault(store: KubeStore, namespace: string, onError: (e: unknown) => void): void {
  if (store.find('serviceaccounts', namespace, 'default')) return;
  const ns = store.find('namespaces', undefined, namespace);
  if (!ns || ns.metadata.deletionTimestamp) return;
  try {
    store.create('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    });
  } catch (error) {
    onError(error);
  }
}

export interface ServiceAccountControllerOptions {
  onError?: (error: unknown) => void;
}

export function serviceAccountController(options: ServiceAccountControllerOptions = {}): Controller {
  const onError =
    options.onError ??
    ((error: unknown) =>
      process.emitWarning(
        `kube-sim serviceaccount-controller: ${(error as Error)?.message ?? String(error)}`,
        'KubeSimWarning',
      ));
  const tracker = new ApiWriteTracker();
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'serviceaccount-controller',
    start({ store }) {
      for (const ns of store.list('namespaces').items) ensureDefault(store, ns.metadata.name!, onError);
      tracker.attach(store);
      // Synchronously after the commit, so a pod created right after its namespace is admitted.
      unsubscribe = store.subscribe((e) => {
        if (e.resource.group !== '' || !tracker.isApiChange(e)) return;
        const { name, namespace } = e.object.metadata;
        if (e.resource.plural === 'namespaces' && e.type === 'ADDED') ensureDefault(store, name!, onError);
        // Deleted, it comes back, as the real controller recreates it.
        if (e.resource.plural === 'serviceaccounts' && e.type === 'DELETED' && name === 'default')
          ensureDefault(store, namespace!, onError);
      });
    },
    stop() {
      unsubscribe?.();
      tracker.stop();
    },
  };
}
