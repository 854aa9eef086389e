// A gateway on a real HTTP server (port 0) over a real store, with a fake manager and a fake
// executor at the network edge, plus an API key per role. Shared by the gateway's integration tests.
import { type Role, type StreamEvent } from '@foxhound/contracts';
import {
  createLogger,
  loadConfig,
  openEventStream,
  startServer,
  type RunningServer,
} from '@foxhound/service-kit';
import { type Store } from '@foxhound/store';
import { GatewayConfigSchema } from '../config/schema';
import { createGatewayApp, type GatewayApp } from '../server/app';
import { startFakeExecutor, startFakeManager } from './fakes';

const logger = createLogger({ service: 'gateway-test', level: 'silent' });

export interface Harness {
  url: string;
  store: Store;
  gateway: GatewayApp;
  server: RunningServer;
  manager: Awaited<ReturnType<typeof startFakeManager>>;
  executor: Awaited<ReturnType<typeof startFakeExecutor>>;
  keys: Record<Role, string>;
  /** POST /investigate and read the whole stream. */
  investigate(
    body: unknown,
    key?: string,
  ): Promise<{ stream: Awaited<ReturnType<typeof openEventStream>>; ids: number[]; events: StreamEvent[] }>;
  /** Waits (bounded) until the stored investigation reaches `status`. */
  waitForStatus(
    id: string,
    status: string,
  ): Promise<NonNullable<Awaited<ReturnType<Store['investigations']['get']>>>>;
  /** Stops everything it started; the store stays open (the caller owns it). */
  close(): Promise<void>;
}

export async function startHarness(store: Store, env: Record<string, string> = {}): Promise<Harness> {
  const manager = await startFakeManager();
  const executor = await startFakeExecutor();
  const config = loadConfig(GatewayConfigSchema, {
    SANDBOX_MANAGER_URL: manager.url,
    SANDBOX_ROUTER_URL: executor.url,
    ROUTER_AUTH_TOKEN: 'router-token-0123456789',
    GATEWAY_HEARTBEAT_SECONDS: '1',
    GATEWAY_ACTION_POLL_SECONDS: '0.05',
    ...env,
  });
  const gateway = createGatewayApp({ config, store, logger });
  const server = await startServer(gateway.app, { port: 0, host: '127.0.0.1', logger, drain: gateway.drain });
  const key = async (role: Role) => (await store.apiKeys.create({ name: `${role} key`, role })).key;
  const keys = {
    admin: await key('admin'),
    viewer: await key('viewer'),
    investigator: await key('investigator'),
    approver: await key('approver'),
  };
  return {
    url: server.url,
    store,
    gateway,
    server,
    manager,
    executor,
    keys,
    async investigate(body, apiKey = keys.investigator) {
      const stream = await openEventStream(`${server.url}/investigate`, {
        body,
        headers: { 'x-api-key': apiKey },
      });
      const frames = [];
      if (stream.status === 200) for await (const frame of stream.frames) frames.push(frame);
      return {
        stream,
        ids: frames.map((f) => Number(f.id)),
        events: frames.map((f) => JSON.parse(f.data) as StreamEvent),
      };
    },
    async waitForStatus(id, status) {
      for (let i = 0; i < 1000; i++) {
        const investigation = await store.investigations.get(id);
        if (investigation?.status === status) return investigation;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`investigation ${id} never reached ${status}`);
    },
    async close() {
      await server.shutdown(1000);
      await gateway.runner.drain(1000);
      await gateway.stopBackground();
      await manager.close();
      await executor.close();
    },
  };
}
