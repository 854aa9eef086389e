// `make up`: starts the whole stack on fixed ports and keeps it running, printing the URLs, an admin
// key and curl commands to paste; Ctrl+C stops every process it started (and their sandboxes).
import path from 'node:path';
import { parseCliOptions, scenarioPrompt } from './options';
import { styleFor } from './render';
import { startStack } from './stack';

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2));
  const s = styleFor(process.stdout);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const stack = await startStack({
    root: options.root,
    mode: options.mode,
    stateDir: path.join(options.root, '.foxhound', 'up'),
    scenarios: options.scenarios,
    kubeconfig: options.kubeconfig,
    ports: { gateway: 8000, router: 8080, manager: 8081, kubeSim: 6443, prometheus: 9090 },
    authMode: 'keys',
    isolation: options.isolation,
    warmPoolSize: 2,
    env: process.env.ANTHROPIC_API_KEY ? { ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY } : {},
    onProgress: (m) => say(s.dim(`  ${m} ...`)),
  });
  const focus = scenarioPrompt(path.join(options.root, 'scenarios', options.focus));
  const key = stack.adminKey ?? '';
  say('');
  say(s.bold('Foxhound is up'));
  say(`  gateway          ${stack.urls.gateway}   (OpenAPI: ${stack.urls.gateway}/openapi.json)`);
  say(`  sandbox-router   ${stack.urls.router}`);
  say(`  sandbox-manager  ${stack.urls.manager}`);
  if (stack.urls.kubeApi)
    say(`  kube-sim         ${stack.urls.kubeApi}   (KUBECONFIG=${stack.kubeconfig} kubectl get pods -A)`);
  say(`  logs             ${stack.logDir}`);
  say(`  admin API key    ${key}`);
  say('');
  say(s.bold('Try'));
  say(
    `  curl -N -X POST ${stack.urls.gateway}/investigate -H 'X-API-Key: ${key}' -H 'content-type: application/json' \\`,
  );
  say(`    -d '${JSON.stringify({ prompt: focus.prompt, namespaces: focus.namespaces })}'`);
  say(`  curl -s ${stack.urls.gateway}/v1/investigations -H 'X-API-Key: ${key}'`);
  say('');
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
