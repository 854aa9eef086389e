// `make up`: starts the whole stack and keeps it running, then prints a banner: the console URL and
// the services, the admin key, the incidents loaded with their namespaces, the sandbox isolation (a
// loud warning when there is none), single-operator mode, and CLI commands to paste. Ports are
// configurable (flags and FOXHOUND_*_PORT) and checked free before anything starts. Ctrl+C stops
// every process it started (and their sandboxes).
import path from 'node:path';
import { describeIsolation } from './isolation';
import { parseCliOptions, PORTS, scenarioPrompt } from './options';
import { modelEnv, startStack } from './stack';

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), { ports: 'fixed' });
  const colour = process.stdout.isTTY && process.env.NO_COLOR === undefined;
  const sgr = (open: number, close: number) => (s: string) =>
    colour ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  const s = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39) };
  const say = (line = '') => process.stdout.write(`${line}\n`);
  const stack = await startStack({
    root: options.root,
    mode: options.mode,
    stateDir: path.join(options.root, '.foxhound', 'up'),
    scenarios: options.scenarios,
    kubeconfig: options.kubeconfig,
    ports: options.ports,
    portHints: Object.fromEntries(
      Object.entries(PORTS).map(([name, p]) => [name, `--${p.flag} (make up UP_ARGS=...) or ${p.env}`]),
    ),
    authMode: 'keys',
    isolation: options.isolation,
    warmPoolSize: 2,
    env: {
      // Single-operator mode: the one admin key may approve its own investigations' fixes. The
      // gateway audits every such waiver; --no-self-approval turns it off.
      GATEWAY_ALLOW_SELF_APPROVAL: String(options.selfApproval),
      ...modelEnv(),
    },
    onProgress: (m) => say(s.dim(`  ${m} ...`)),
  });
  const focus = scenarioPrompt(path.join(options.root, 'scenarios', options.focus));
  const key = stack.adminKey ?? '';
  const isolation = describeIsolation(stack.isolation);
  const gw = stack.urls.gateway;
  say();
  say(s.bold('Foxhound is up'));
  say(`  console          ${gw}/console/   (sign in with the admin key below)`);
  say(`  gateway          ${gw}   (OpenAPI: ${gw}/openapi.json)`);
  say(`  sandbox-router   ${stack.urls.router}`);
  say(`  sandbox-manager  ${stack.urls.manager}`);
  if (stack.urls.kubeApi)
    say(`  kube-sim         ${stack.urls.kubeApi}   (KUBECONFIG=${stack.kubeconfig} kubectl get pods -A)`);
  say(`  logs             ${stack.logDir}`);
  say(`  admin API key    ${key}`);
  say();
  if (options.kubeconfig) say(s.bold('Cluster') + `  ${options.kubeconfig} (a real cluster from KUBECONFIG)`);
  else {
    say(s.bold('Incidents loaded'));
    for (const dir of options.scenarios) {
      const scenario = scenarioPrompt(dir);
      say(
        `  ${path.basename(dir).padEnd(28)} namespaces ${scenario.namespaces.join(', ')}  ${s.dim(scenario.title)}`,
      );
    }
  }
  say();
  if (isolation.warning) {
    say(s.red(s.bold(`WARNING: SANDBOX ISOLATION: ${isolation.summary}`)));
    for (const line of isolation.details) say(s.red(`  ${line}`));
  } else {
    say(`${s.bold('Sandbox isolation')}  ${isolation.summary}`);
    for (const line of isolation.details) say(s.dim(`  ${line}`));
  }
  say(
    options.selfApproval
      ? `${s.bold('Single-operator mode')}  the admin key may approve its own investigations' fixes; each waiver is audited (make up UP_ARGS=--no-self-approval turns it off)`
      : `${s.bold('Self-approval off')}  a fix needs an approver other than the key that started the investigation`,
  );
  say();
  say(s.bold('Try'));
  say(`  export FOXHOUND_SERVER=${gw} FOXHOUND_API_KEY=${key}`);
  say(`  npx foxhound doctor`);
  say(
    `  npx foxhound investigate ${focus.namespaces.map((n) => `-n ${n} `).join('')}${JSON.stringify(focus.prompt)}`,
  );
  say(`  npx foxhound actions --pending`);
  say(`  npx foxhound approve <action-id> --reason "looks right"`);
  say(
    s.dim(
      `  or with curl: curl -N -X POST ${gw}/investigate -H 'X-API-Key: ${key}' -H 'content-type: application/json' \\`,
    ),
  );
  say(s.dim(`    -d '${JSON.stringify({ prompt: focus.prompt, namespaces: focus.namespaces })}'`));
  say();
  say(s.dim('Ctrl+C stops everything.'));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    say(s.dim('\nstopping ...'));
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A service that dies takes the stack down with a pointer to its log.
  for (const proc of stack.processes) {
    void proc.exited.then((code) => {
      if (stopping) return;
      process.stderr.write(`${proc.name} exited (${String(code)}); see ${proc.logFile}\n`);
      stop();
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`make up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
