// Admission and validation the API server applies to pods that the simulation adds with its
// controllers: requests above limits (pod-validation.ts, on pods and workload templates, create and
// update) and the ServiceAccount plugin (service-account.ts, pod creates). Registered before the
// quota controller's LimitRanger and ResourceQuota hooks, so an invalid object is refused as
// Invalid before any quota is consulted, as validation precedes validating admission for real.
import { type Controller } from '../controller';
import { checkServiceAccount } from './service-account';
import { validatePodResources, VALIDATED_RESOURCES } from './pod-validation';

export function admissionController(): Controller {
  const cleanups: (() => void)[] = [];
  return {
    name: 'admission',
    start({ store }) {
      cleanups.push(
        store.addAdmissionHook({
          name: 'PodResourceValidation',
          resources: VALIDATED_RESOURCES,
          operations: ['CREATE', 'UPDATE'],
          validate: validatePodResources,
        }),
        store.addAdmissionHook({
          name: 'ServiceAccount',
          resources: ['pods'],
          operations: ['CREATE'],
          validate: (request) => checkServiceAccount(store, request),
        }),
      );
    },
    stop() {
      for (const c of cleanups.splice(0)) c();
    },
  };
}
