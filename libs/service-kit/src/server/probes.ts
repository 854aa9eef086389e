// Health endpoints. /healthz answers 200 while the process can serve at all; /readyz answers 200 only
// when every dependency check passes and the service is not draining; /metrics serves Prometheus text.
import { type Request, type Response, type Router } from 'express';
import express from 'express';
import { type Registry } from 'prom-client';
import { type DrainController } from './drain';

export interface ReadinessCheck {
  /** Shown in the /readyz body, e.g. `kubernetes`, `store`, `sandbox-manager`. */
  name: string;
  /** Resolves when the dependency is usable; throws (or rejects) with the reason otherwise. */
  check: () => Promise<void> | void;
}

/** Runs readiness checks with a per-check deadline, so a hung dependency cannot hang the probe. */
export async function runReadinessChecks(
  checks: ReadinessCheck[],
  timeoutMs = 2000,
): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(check),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, 'ok'] as const;
      } catch (err) {
        return [name, err instanceof Error ? err.message : String(err)] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every(([, status]) => status === 'ok'), checks: Object.fromEntries(results) };
}

export function probeRoutes(options: {
  service: string;
  drain: DrainController;
  registry: Registry;
  readiness: ReadinessCheck[];
}): Router {
  const router = express.Router();
  router.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'ok', service: options.service });
  });
  router.get('/readyz', async (_req: Request, res: Response) => {
    if (options.drain.draining) {
      res.status(503).json({ status: 'draining', service: options.service, checks: {} });
      return;
    }
    const { ready, checks } = await runReadinessChecks(options.readiness);
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not ready', service: options.service, checks });
  });
  router.get('/metrics', async (_req: Request, res: Response) => {
    res.setHeader('content-type', options.registry.contentType);
    res.end(await options.registry.metrics());
  });
  return router;
}
