// The foxhound command line: global flags and one subcommand per verb, built on commander. Each
// action returns an exit code; errors are thrown as CliError and printed once by main.ts.
import { Command, Option } from 'commander';
import { actions, decide } from './commands/actions';
import { doctor } from './commands/doctor';
import { follow, investigate } from './commands/investigate';
import { list, show } from './commands/investigations';
import { login } from './commands/login';
import { replay } from './commands/replay';
import { snapshot } from './commands/snapshot';
import { createContext, type Context, type GlobalFlags } from './context';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(env: NodeJS.ProcessEnv, onExit: (code: number) => void): Command {
  const program = new Command('foxhound')
    .description('Investigate Kubernetes incidents with Foxhound, review and approve its fixes.')
    .option('--server <url>', 'gateway URL (else FOXHOUND_SERVER, else the config file)')
    .option('--json', 'print JSON: one document, or one event per line for streams')
    .option('--no-color', 'no colour (also when NO_COLOR is set or stdout is not a terminal)')
    .option('--timeout <seconds>', 'bound on each request (default 15)')
    .option('--max-event-mb <mb>', 'largest single streamed event accepted (default 8)')
    .showHelpAfterError('(foxhound --help lists the commands)')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 the investigation or action ended badly, 2 bad usage or input, 3 gateway\n' +
        'unreachable, 4 credential refused or role too low, 5 not found, 6 server error, 130 interrupted.\n' +
        'Environment: FOXHOUND_SERVER, FOXHOUND_API_KEY, NO_COLOR, XDG_CONFIG_HOME.',
    )
    .exitOverride();

  const run =
    <A extends unknown[]>(fn: (ctx: Context, ...args: A) => Promise<number>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const ctx = createContext(command.optsWithGlobals<GlobalFlags>(), env);
      onExit(await fn(ctx, ...(args.slice(0, -1) as A)));
    };

  program
    .command('login')
    .description('store the gateway URL and your API key (read hidden, or from stdin) in the config file')
    .option('--server <url>', 'gateway URL')
    .action(run((ctx, options: { server?: string }) => login(ctx, options)));
  program
    .command('doctor')
    .description('check the config, the gateway, its readiness, your credential and role')
    .action(run((ctx) => doctor(ctx)));
  program
    .command('investigate')
    .description('start an investigation (or a follow-up with --thread) and print it as it streams')
    .argument('<prompt>', 'what is wrong, e.g. "checkout returns 500s"')
    .option('-n, --namespace <ns>', 'namespace in scope (repeatable)', collect)
    .option('--thread <id>', 'continue this thread (a follow-up question)')
    .action(run((ctx, prompt: string, options: { namespace?: string[]; thread?: string }) => investigate(ctx, prompt, options)));
  program
    .command('list')
    .description('investigations, newest first')
    .addOption(new Option('--status <status>', 'only this status').choices(['running', 'completed', 'failed', 'interrupted']))
    .option('--limit <n>', 'rows (1-100, default 20)')
    .option('--cursor <cursor>', 'the next page, as printed by the previous one')
    .action(run((ctx, options: { status?: string; limit?: string; cursor?: string }) => list(ctx, options)));
  program
    .command('show')
    .description('one investigation and its report')
    .argument('<id>', 'investigation id')
    .action(run((ctx, id: string) => show(ctx, id)));
  program
    .command('follow')
    .description("replay an investigation's events, then follow it live until it ends")
    .argument('<id>', 'investigation id')
    .action(run((ctx, id: string) => follow(ctx, id)));
  program
    .command('actions')
    .description('proposed fixes and their state')
    .option('--pending', 'only those waiting for a decision')
    .option('--investigation <id>', "only this investigation's")
    .option('--limit <n>', 'rows (1-500, default 100)')
    .action(run((ctx, options: { pending?: boolean; investigation?: string; limit?: string }) => actions(ctx, options)));
  for (const [verb, text] of [
    ['approve', 'approve an action and follow it until the cluster recovered (or it failed)'],
    ['reject', 'reject an action'],
    ['rollback', 'propose the inverse of an applied action (it then needs its own approval)'],
  ] as const) {
    const command = program
      .command(verb)
      .description(text)
      .argument('<action-id>', 'action id (foxhound actions)')
      .requiredOption('--reason <text>', 'why, kept in the audit trail');
    if (verb === 'approve')
      command
        .option('--no-wait', 'return once the approval is recorded')
        .option('--wait-seconds <s>', 'how long to follow the action (default 600)')
        .option('--live-patch-on-gitops', 'patch an object a GitOps controller manages anyway (it may revert it)');
    command.action(
      run(
        (ctx, id: string, options: { reason?: string; wait?: boolean; waitSeconds?: string; livePatchOnGitops?: boolean }) =>
          decide(ctx, verb, id, options),
      ),
    );
  }
  program
    .command('snapshot')
    .description('capture namespaces of a live cluster (read-only, secrets redacted) as a scenario directory')
    .option('--kubeconfig <file>', 'the cluster (else KUBECONFIG)')
    .option('--context <name>', 'a context of the kubeconfig other than its current one')
    .option('-n, --namespace <ns>', 'namespace to capture (repeatable, at least one)', collect)
    .option('-o, --output <dir>', 'a new or empty directory to write')
    .option('--log-lines <n>', 'newest lines kept per container log (default 200)')
    .action(
      run(
        (ctx, options: { kubeconfig?: string; context?: string; namespace?: string[]; output?: string; logLines?: string }) =>
          snapshot(ctx, options),
      ),
    );
  program
    .command('replay')
    .description("serve a snapshot with kube-sim and investigate it offline, here (no stack, no model)")
    .argument('<dir>', 'a directory written by foxhound snapshot (or any scenario)')
    .argument('[prompt]', "the question (default: the scenario's prompt)")
    .action(run((ctx, dir: string, prompt: string | undefined) => replay(ctx, dir, prompt)));
  return program;
}
