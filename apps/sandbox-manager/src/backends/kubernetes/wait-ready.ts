// Waits for a just-created (or found) claim or sandbox to become ready by watching it from the
// version we hold. A reason after which waiting cannot help (WarmPoolNotFound, ClaimExpired, ...)
// fails at once; otherwise the deadline fails with the last Ready reason, so the on-call engineer
// reads "WarmPoolNotFound: SandboxWarmPool x not found", not "timeout". Either way the object is
// deleted so nothing half-made lingers and the next request starts fresh.
import { type AgentSandboxClient, describeReadiness, type Readiness, WaitTimeoutError } from '@foxhound/kube';
import { GatewayTimeoutError, ServiceUnavailableError, type Logger } from '@foxhound/service-kit';
import { type ManagerMetrics } from '../../observability/metrics';
import { type ManagedObject, type Mode } from './modes';

export interface WaitForReadyOptions<T extends ManagedObject> {
  client: AgentSandboxClient;
  namespace: string;
  mode: Mode<T>;
  object: T;
  threadId: string;
  /** Epoch ms. */
  deadline: number;
  logger: Logger;
  metrics: ManagerMetrics;
}

type Ready = Extract<Readiness, { state: 'ready' }>;

class NotReadyError extends Error {
  constructor(readonly readiness: Readiness) {
    super(describeReadiness(readiness));
  }
}

export async function waitForReady<T extends ManagedObject>(
  options: WaitForReadyOptions<T>,
): Promise<{ object: T; readiness: Ready }> {
  const { client, namespace, mode, object, threadId, logger, metrics } = options;
  const name = object.metadata.name ?? '';
  const what = `${mode.kind === 'claim' ? 'SandboxClaim' : 'Sandbox'} ${namespace}/${name}`;
  try {
    return await client.waitFor(mode.kind, {
      namespace,
      name,
      current: object as never,
      timeoutMs: Math.max(1, options.deadline - Date.now()),
      evaluate: (current) => {
        if (current === undefined) {
          return {
            done: false,
            failed: new NotReadyError({
              state: 'failed',
              reason: 'Deleted',
              message: 'deleted while starting',
            }),
          };
        }
        const readiness = mode.readiness(current as T);
        if (readiness.state === 'ready') return { done: true, value: { object: current as T, readiness } };
        if (readiness.state === 'failed') return { done: false, failed: new NotReadyError(readiness) };
        return { done: false, status: describeReadiness(readiness) };
      },
      onWatchError: (err, retryInMs) =>
        logger.warn(
          { threadId, object: name, err: (err as Error).message, retryInMs },
          'readiness watch restarting',
        ),
    });
  } catch (err) {
    await client
      .delete(mode.kind, namespace, name, { uid: object.metadata.uid })
      .catch((cleanupErr: unknown) => {
        logger.error(
          { threadId, object: name, err: cleanupErr },
          'could not delete a sandbox that failed to start',
        );
      });
    if (err instanceof WaitTimeoutError) {
      metrics.failures.inc({ backend: 'kubernetes', reason: 'timeout' });
      throw new GatewayTimeoutError(
        `Sandbox for thread ${threadId} not ready in time: ${what} last said ${err.lastStatus ?? 'nothing (no status yet)'}. ` +
          'It was deleted; check the agent-sandbox controller and the sandbox pods.',
        { cause: err },
      );
    }
    if (err instanceof NotReadyError) {
      metrics.failures.inc({ backend: 'kubernetes', reason: 'not_ready' });
      throw new ServiceUnavailableError(
        `Sandbox for thread ${threadId} failed: ${what} is not ready (${err.message}). It was deleted.`,
        { cause: err },
      );
    }
    metrics.failures.inc({ backend: 'kubernetes', reason: 'api' });
    throw new ServiceUnavailableError(
      `Sandbox for thread ${threadId}: watching ${what} failed: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}
