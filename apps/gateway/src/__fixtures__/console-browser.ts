// What the console's browser tests stand on: the console built by its real build script into a temp
// folder, a real gateway serving it (port 0, real store, fake manager and executor at the network
// edge, as every gateway integration test), a key per role, and Debian's Chromium driven by
// playwright-core with a fresh profile. Screenshots go to a temp folder; with CONSOLE_SHOTS_DIR set
// they are copied there too, for a human to look at.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { type Role } from '@foxhound/contracts';
import { createLogger, loadConfig, startServer, type RunningServer } from '@foxhound/service-kit';
import { createStore, type Store } from '@foxhound/store';
import { GatewayConfigSchema } from '../config/schema';
import { createGatewayApp, type GatewayApp } from '../server/app';
import { startFakeExecutor, startFakeManager } from './fakes';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds the console with its real build script (what `npm run build` runs) into `outDir`. */
export function buildConsole(outDir: string): void {
  execFileSync(process.execPath, [path.resolve(__dirname, '../../console/build.mjs'), outDir], {
    stdio: 'pipe',
    timeout: 60_000,
  });
}

export interface ConsoleRig {
  url: string;
  /** Where the console was built. */
  consoleDir: string;
  store: Store;
  gateway: GatewayApp;
  manager: Awaited<ReturnType<typeof startFakeManager>>;
  executor: Awaited<ReturnType<typeof startFakeExecutor>>;
  keys: Record<Role, string>;
  browser: Browser;
  /** A fresh browser context (its own sessionStorage) at a laptop or phone size. */
  context(size?: 'laptop' | 'phone'): Promise<BrowserContext>;
  /** Opens the console and signs in with `key`, at `hash` (e.g. `#/approvals`). */
  signIn(context: BrowserContext, key: string, hash?: string): Promise<Page>;
  shot(page: Page, name: string): Promise<string>;
  /** Console errors and CSP violations any page reported; a test expects none. */
  problems: string[];
  close(): Promise<void>;
}

export async function startConsoleRig(env: Record<string, string> = {}): Promise<ConsoleRig> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium), as .ci/run does.`,
    );
  const work = mkdtempSync(path.join(tmpdir(), 'fh-console-'));
  const consoleDir = path.join(work, 'console');
  const shotsDir = path.join(work, 'shots');
  mkdirSync(shotsDir);
  buildConsole(consoleDir);

  const store = await createStore({});
  const manager = await startFakeManager();
  const executor = await startFakeExecutor();
  const config = loadConfig(GatewayConfigSchema, {
    SANDBOX_MANAGER_URL: manager.url,
    SANDBOX_ROUTER_URL: executor.url,
    ROUTER_AUTH_TOKEN: 'router-token-0123456789',
    GATEWAY_HEARTBEAT_SECONDS: '1',
    GATEWAY_ACTION_POLL_SECONDS: '0.05',
    // The browser polls; one key's requests must not be limited by how fast the suite runs.
    GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
    GATEWAY_SOURCE_RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const logger = createLogger({ service: 'gateway-console-test', level: 'silent' });
  const gateway = createGatewayApp({ config, store, logger, consoleDir });
  gateway.startBackground();
  const server: RunningServer = await startServer(gateway.app, {
    port: 0,
    host: '127.0.0.1',
    logger,
    drain: gateway.drain,
  });
  const key = async (role: Role) => (await store.apiKeys.create({ name: `${role} key`, role })).key;
  const keys = {
    admin: await key('admin'),
    viewer: await key('viewer'),
    investigator: await key('investigator'),
    approver: await key('approver'),
  };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];

  const rig: ConsoleRig = {
    url: server.url,
    consoleDir,
    store,
    gateway,
    manager,
    executor,
    keys,
    browser,
    problems,
    async context(size = 'laptop') {
      const context = await browser.newContext({
        viewport: size === 'phone' ? { width: 390, height: 844 } : { width: 1366, height: 860 },
        isMobile: size === 'phone',
      });
      context.setDefaultTimeout(15_000);
      context.on('page', (page) => {
        page.on('console', (message) => {
          // A refused credential is an expected 401 the browser logs as a failed resource.
          if (message.type() === 'error' && !/status of 40[13]/.test(message.text()))
            problems.push(message.text());
        });
        page.on('pageerror', (error) => problems.push(error.message));
      });
      contexts.push(context);
      return context;
    },
    async signIn(context, apiKey, hash = '') {
      const page = await context.newPage();
      await page.goto(`${server.url}/console/${hash}`);
      await page.getByLabel('API key or token').fill(apiKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      return page;
    },
    async shot(page, name) {
      const file = path.join(shotsDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      const keep = process.env.CONSOLE_SHOTS_DIR;
      if (keep) {
        mkdirSync(keep, { recursive: true });
        copyFileSync(file, path.join(keep, `${name}.png`));
      }
      return file;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.shutdown(1000);
      await gateway.runner.drain(1000);
      await gateway.stopBackground();
      await manager.close();
      await executor.close();
      await store.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
  return rig;
}
