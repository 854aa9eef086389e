#!/usr/bin/env node
// kube-sim's command line. `serve` runs the simulated API server (and the Prometheus-compatible
// endpoint) with scenarios and manifests (an RBAC policy, fixtures) loaded and writes a kubeconfig
// for kubectl; `check` loads scenario
// directories into a throwaway store and reports what each holds, or why it does not load.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { TokenEntrySchema } from './auth/authn';
import { findScenarioDirs, loadManifestFile } from './scenario/loader';
import { startKubeSim } from './sim';
import { defaultControllers, RUNTIME_MODE } from './controllers';
import { runSnapshot } from './snapshot/cli';

const USAGE = `usage:
  kube-sim serve [--port 6443] [--host 127.0.0.1] [--scenario DIR]... [--scenarios-root DIR]
                 [--kubeconfig-out FILE] [--tokens FILE] [--authorization allow-all|rbac]
                 [--tls] [--load FILE]... [--prometheus-port PORT] [--user NAME]
                 [--no-controllers] [--log-requests]
  kube-sim check DIR...
  kube-sim snapshot --namespace NS... --out DIR [--kubeconfig FILE] [--context NAME]
                    [--since 2h] [--log-lines 200]`;

const ServeSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(6443),
  host: z.string().default('127.0.0.1'),
  scenario: z.array(z.string()).default([]),
  'scenarios-root': z.string().optional(),
  'kubeconfig-out': z.string().optional(),
  tokens: z.string().optional(),
  authorization: z.enum(['allow-all', 'rbac']).default('allow-all'),
  'prometheus-port': z.coerce.number().int().min(0).max(65535).default(0),
  user: z.string().optional(),
  tls: z.boolean().default(false),
  load: z.array(z.string()).default([]),
  // Controllers (workloads, kubelet, quota, agent-sandbox) run unless turned off: loaded scenarios
  // stay as captured either way until something changes them through the API.
  'no-controllers': z.boolean().default(false),
  'log-requests': z.boolean().default(false),
});

function fail(message: string): never {
  console.error(`kube-sim: ${message}\n${USAGE}`);
  process.exit(2);
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      'scenarios-root': { type: 'string' },
      'kubeconfig-out': { type: 'string' },
      tokens: { type: 'string' },
      authorization: { type: 'string' },
      'prometheus-port': { type: 'string' },
      user: { type: 'string' },
      tls: { type: 'boolean' },
      load: { type: 'string', multiple: true },
      'no-controllers': { type: 'boolean' },
      'log-requests': { type: 'boolean' },
    },
    strict: true,
  });
  const parsed = ServeSchema.safeParse(values);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  if (parsed.data.tokens && !parsed.data.tls) {
    console.error(
      'kube-sim: note: kubectl sends bearer tokens only over HTTPS; add --tls for kubectl to authenticate',
    );
  }
  const o = parsed.data;
  if (!o.tokens && !['127.0.0.1', 'localhost', '::1'].includes(o.host)) {
    fail(
      `--host ${o.host} without --tokens would give everyone who can reach it cluster-admin; add --tokens (and --tls)`,
    );
  }
  const scenarios = [...o.scenario.map((d) => resolve(d))];
  if (o['scenarios-root']) scenarios.push(...(await findScenarioDirs(resolve(o['scenarios-root']))));
  let tokens;
  if (o.tokens) {
    const doc = parseYaml(await readFile(o.tokens, 'utf8'));
    const t = z.array(TokenEntrySchema).safeParse(doc);
    if (!t.success)
      fail(`${o.tokens}: expected a list of {token, user, groups}: ${t.error.issues[0].message}`);
    tokens = t.data;
  }
  const sim = await startKubeSim({
    port: o.port,
    host: o.host,
    tls: o.tls,
    scenarios,
    tokens,
    authorization: o.authorization,
    prometheus: { port: o['prometheus-port'] },
    controllers: o['no-controllers'] ? [] : defaultControllers(),
    onRequest: o['log-requests']
      ? (e) => console.log(`${e.method} ${e.path} ${e.status} ${e.ms.toFixed(1)}ms`)
      : undefined,
  });
  for (const file of o.load) {
    const count = await loadManifestFile(sim.store, resolve(file)).catch(async (err: Error) => {
      await sim.close();
      fail(err.message);
    });
    console.log(`  loaded ${count} objects from ${file}`);
  }
  console.log(`kube-sim serving the Kubernetes API at ${sim.url}`);
  for (const s of sim.scenarios)
    console.log(`  scenario ${s.name}: ${s.objectCount} objects (${s.manifest.title})`);
  console.log(`Prometheus-compatible API at ${sim.prometheusUrl}`);
  if (!o['no-controllers'])
    console.log(
      `  containers run in ${RUNTIME_MODE} mode: no processes are started (see the kube-sim README)`,
    );
  if (o['kubeconfig-out']) {
    const path = resolve(o['kubeconfig-out']);
    await sim.writeKubeconfig(path, { user: o.user });
    console.log(`KUBECONFIG=${path}`);
  }
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function check(dirs: string[]): Promise<void> {
  if (dirs.length === 0) fail('check needs at least one scenario directory');
  let failed = 0;
  for (const dir of dirs) {
    const sim = await startKubeSim({ prometheus: false });
    try {
      const s = await sim.loadScenario(resolve(dir));
      console.log(
        `ok   ${s.name}: ${s.objectCount} objects, ${s.manifest.namespaces.join(',')}: ${s.manifest.title}`,
      );
    } catch (err) {
      failed++;
      console.log(`FAIL ${dir}: ${(err as Error).message}`);
    } finally {
      await sim.close();
    }
  }
  process.exit(failed ? 1 : 0);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'serve') return serve(rest);
  if (command === 'check') return check(rest);
  if (command === 'snapshot') process.exit(await runSnapshot(rest));
  fail(command ? `unknown command "${command}"` : 'no command given');
}

main().catch((err: unknown) => {
  console.error(`kube-sim: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
