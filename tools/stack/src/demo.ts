// `make demo`: starts the whole stack on this machine against kube-sim loaded with several incidents,
// then drives it as a user would, with the `foxhound` CLI: `foxhound investigate` prints the stream
// and the report (the CLI owns that rendering), `foxhound approve` applies the first proposed fix and
// follows it until the cluster recovers. Stops everything and exits 0 when both succeeded.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { type StoredProposal } from '@foxhound/contracts';
import { describeIsolation } from './isolation';
import { parseCliOptions, scenarioPrompt } from './options';
import { entry, modelEnv, startStack } from './stack';

async function main(): Promise<number> {
  const options = parseCliOptions(process.argv.slice(2));
  const colour = process.stdout.isTTY && process.env.NO_COLOR === undefined;
  const dim = (s: string) => (colour ? `\x1b[2m${s}\x1b[22m` : s);
  const bold = (s: string) => (colour ? `\x1b[1m${s}\x1b[22m` : s);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const focus = scenarioPrompt(path.join(options.root, 'scenarios', options.focus));
  const stateDir = path.join(options.root, '.foxhound', 'demo');
  const started = Date.now();

  say(bold('Foxhound demo'));
  say(
    options.kubeconfig
      ? `cluster: ${options.kubeconfig} (real cluster from KUBECONFIG)`
      : `cluster: kube-sim with ${options.scenarios.length} incidents (${options.scenarios.map((d) => path.basename(d)).join(', ')})`,
  );
  const stack = await startStack({
    root: options.root,
    mode: options.mode,
    stateDir,
    scenarios: options.scenarios,
    kubeconfig: options.kubeconfig,
    authMode: 'open',
    gatewayDataDir: 'memory',
    isolation: options.isolation,
    ports: options.ports,
    warmPoolSize: 1,
    logLevel: 'warn',
    env: {
      // One operator plays every role in the demo, so it may approve its own investigation's
      // actions; the gateway audits each waiver.
      GATEWAY_ALLOW_SELF_APPROVAL: String(options.selfApproval),
      ...modelEnv(),
    },
    onProgress: (m) => say(dim(`  ${m} ...`)),
  });
  // The CLI as a user runs it, pointed at this stack (open auth: no credential needed).
  const foxhound = (args: string[]) =>
    new Promise<number>((resolve, reject) => {
      say(dim(`$ foxhound ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`));
      const child = spawn(process.execPath, [...entry(options, 'apps/cli', 'main'), ...args], {
        cwd: options.root,
        stdio: 'inherit',
        env: { ...process.env, FOXHOUND_SERVER: stack.urls.gateway, FOXHOUND_API_KEY: '' },
      });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  try {
    say(
      `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s: gateway ${stack.urls.gateway} (logs in ${stack.logDir})`,
    );
    const isolation = describeIsolation(stack.isolation);
    say(`sandbox isolation: ${isolation.warning ? `WARNING: ${isolation.summary}` : isolation.summary}`);
    for (const line of isolation.warning ? isolation.details : []) say(`  ${line}`);
    say('');
    const investigated = await foxhound([
      'investigate',
      ...focus.namespaces.flatMap((ns) => ['-n', ns]),
      focus.prompt,
    ]);
    if (investigated !== 0) return investigated;
    if (options.kubeconfig) return 0;
    const pending = await fetch(`${stack.urls.gateway}/v1/actions?state=proposed&limit=1`);
    const [first] = ((await pending.json()) as { items: StoredProposal[] }).items;
    if (!first) return 0;
    say('');
    // The demo incidents' objects carry Argo CD annotations, as real ones do: the operator chooses
    // the live patch explicitly (in a real cluster the fix would go to Git).
    return await foxhound([
      'approve',
      first.proposal.id,
      '--reason',
      'make demo: the operator approves the proposed fix',
      ...(first.proposal.lane?.managedBy ? ['--live-patch-on-gitops'] : []),
    ]);
  } finally {
    say(dim('stopping the stack ...'));
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
