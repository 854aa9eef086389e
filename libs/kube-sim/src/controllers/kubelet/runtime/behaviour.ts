// From a container spec to the program it runs in declared-behaviour mode: the argv is `command`
// and `args` over the image's default (as the runtime combines ENTRYPOINT and CMD); `sh -c` runs
// the script through the shell model; the image's main program runs its default behaviour; another
// command of the image runs as a one-command script; a command the image does not have cannot
// start (runc's `executable file not found in $PATH`, StartError). Images outside the runtime
// table run their command forever and listen on the ports they declare. Pure.
import { FOREVER, type Program, type Step } from './program';
import { runtimeImage } from './images';
import { compileShell } from './shell';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SHELLS = new Set(['sh', 'ash', 'bash', 'dash']);
const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const quote = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;

/** runc's message when the first word of argv is not on the image (containerd 1.7, runc 1.1). */
export function execNotFound(cmd: string): string {
  const why = cmd.includes('/')
    ? `stat ${cmd}: no such file or directory`
    : `exec: "${cmd}": executable file not found in $PATH`;
  const exec = cmd.includes('/') ? `exec: "${cmd}": ${why}` : why;
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${exec}: unknown`;
}

/** Plain env values of the container (references to ConfigMaps and Secrets resolve to themselves' names). */
export function containerEnv(container: Json): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of (container.env ?? []) as Json[]) {
    if (typeof e.value === 'string') env[e.name] = e.value;
    else if (e.valueFrom) env[e.name] = `<${e.name}>`;
  }
  return env;
}

/** `init`: an init container of an image we know nothing of completes at once rather than serving. */
export function containerProgram(
  container: Json,
  env: Record<string, string> = containerEnv(container),
  init = false,
): Program {
  const image = runtimeImage(String(container.image ?? ''));
  const command: string[] | undefined = container.command?.length ? container.command : undefined;
  const args: string[] | undefined = container.args?.length ? container.args : undefined;
  const declaredPorts: Step[] = ((container.ports ?? []) as Json[])
    .filter((p) => (p.protocol ?? 'TCP') === 'TCP' && Number.isInteger(p.containerPort))
    .map((p) => ({ op: 'listen', port: p.containerPort }));
  const argv = command ? [...command, ...(args ?? [])] : args;
  const unknownImage: Step[] = init ? [{ op: 'exit', code: 0 }] : [...declaredPorts, FOREVER];
  if (!argv) return image ? image.defaultProgram(env) : unknownImage;
  const [cmd, ...rest] = argv;
  const shell = { commands: image?.commands, dialect: image?.dialect ?? 'ash' } as const;
  if (SHELLS.has(base(cmd)) && (!image?.commands || image.commands.has(base(cmd)))) {
    const at = rest.indexOf('-c');
    if (at < 0) return [{ op: 'exit', code: 0 }];
    return compileShell(rest[at + 1] ?? '', shell, env);
  }
  if (!image) return unknownImage;
  if (image.mainCommands.includes(cmd) || image.mainCommands.includes(base(cmd)))
    return image.defaultProgram(env);
  if (!image.commands?.has(base(cmd))) return { startError: execNotFound(cmd) };
  return compileShell(argv.map(quote).join(' '), shell, env);
}
