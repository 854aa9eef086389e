// A small POSIX shell for declared-behaviour containers: what `sh -c "<script>"` does in busybox
// or alpine, compiled to a Program. Lists separated by `;`, newlines, `&&` and `||`; `while
// true|:; do ...; done`; quoting; `>`/`>>` redirection; `$VAR` from the container's env. Builtins
// and applets modelled: echo, printf (no format directives), sleep (seconds, `infinity`), exit,
// true, false, touch, rm, cat, env, printenv, date, mkdir, nc -l -p PORT, httpd -p PORT, stress
// (--vm-bytes). Other commands of the image run and succeed silently. A command the image lacks
// prints `sh: <cmd>: not found` (dash: `sh: 1: <cmd>: not found`) and returns 127. Pure.
import { FOREVER, type Step } from './program';

export interface ShellImage {
  /** Commands on the image's PATH (applets, binaries); undefined when unknown (every command runs). */
  commands?: ReadonlySet<string>;
  /** busybox's ash (`sh: x: not found`) or Debian's dash (`sh: 1: x: not found`). */
  dialect: 'ash' | 'dash';
}

const MAX_STEPS = 10_000;

/** Splits a script into words and operators, honouring quotes and expanding $VAR. */
function tokenize(script: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  const flush = () => {
    if (inWord) out.push(word);
    word = '';
    inWord = false;
  };
  const expand = (s: string, i: number): [string, number] => {
    const m = /^\$(?:\{(\w+)\}|(\w+))/.exec(s.slice(i));
    if (!m) return ['$', i + 1];
    return [env[m[1] ?? m[2]] ?? '', i + m[0].length];
  };
  for (let i = 0; i < script.length;) {
    const ch = script[i];
    if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      word += script.slice(i + 1, end < 0 ? script.length : end);
      inWord = true;
      i = end < 0 ? script.length : end + 1;
    } else if (ch === '"') {
      i++;
      inWord = true;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < script.length) {
          word += script[i + 1];
          i += 2;
        } else if (script[i] === '$') {
          const [v, next] = expand(script, i);
          word += v;
          i = next;
        } else word += script[i++];
      }
      i++;
    } else if (ch === '$') {
      const [v, next] = expand(script, i);
      word += v;
      inWord = true;
      i = next;
    } else if (ch === '\n' || ch === ';') {
      flush();
      out.push(';');
      i++;
    } else if (script.startsWith('&&', i) || script.startsWith('||', i) || script.startsWith('>>', i)) {
      flush();
      out.push(script.slice(i, i + 2));
      i += 2;
    } else if (ch === '>' || ch === '&' || ch === '|') {
      flush();
      out.push(ch);
      i++;
    } else if (ch === ' ' || ch === '\t') {
      flush();
      i++;
    } else if (ch === '#' && !inWord) {
      while (i < script.length && script[i] !== '\n') i++;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  flush();
  return out;
}

interface Compiled {
  steps: Step[];
  /** The exit status of the last command, when known without running (for && / ||). */
  status: number;
  /** The script cannot go on: it exited or waits forever. */
  final: boolean;
}

function duration(arg: string | undefined): number {
  if (arg === 'infinity') return Number.POSITIVE_INFINITY;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(arg ?? '');
  if (!m) return 0;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

const MEMORY_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `250M` as stress reads it. */
export function stressBytes(arg: string | undefined): number {
  const m = /^(\d+)([bkmg]?)$/i.exec(arg ?? '');
  return m ? Number(m[1]) * MEMORY_UNITS[m[2].toLowerCase()] : 256 * 1024 ** 2;
}

/** One simple command; `files` tracks what the script itself created, for `cat`. */
function command(
  words: string[],
  image: ShellImage,
  files: Map<string, string>,
  env: Record<string, string>,
): Compiled {
  let redirect: { path: string; append: boolean } | undefined;
  const redirAt = words.findIndex((w) => w === '>' || w === '>>');
  if (redirAt >= 0) {
    redirect = { path: words[redirAt + 1] ?? '', append: words[redirAt] === '>>' };
    words = words.slice(0, redirAt);
  }
  const [cmd, ...args] = words;
  const ok = (steps: Step[] = [], status = 0): Compiled => ({ steps, status, final: false });
  const output = (text: string): Compiled => {
    if (!redirect) return ok([{ op: 'log', line: text }]);
    const content = (redirect.append ? (files.get(redirect.path) ?? '') : '') + `${text}\n`;
    files.set(redirect.path, content);
    return ok([{ op: 'file', path: redirect.path, content }]);
  };
  switch (cmd) {
    case undefined:
      return ok();
    case 'true':
    case ':':
      return ok();
    case 'false':
      return ok([], 1);
    case 'echo':
      return output(args[0] === '-n' ? args.slice(1).join(' ') : args.join(' '));
    case 'printf':
      return output(args.join(' ').replace(/\\n$/, ''));
    case 'exit':
      return {
        steps: [{ op: 'exit', code: Number(args[0] ?? 0) & 255 }],
        status: Number(args[0] ?? 0),
        final: true,
      };
    case 'sleep': {
      const seconds = duration(args[0]);
      return { steps: [{ op: 'sleep', seconds }], status: 0, final: seconds === Number.POSITIVE_INFINITY };
    }
    case 'touch':
      for (const p of args) files.set(p, files.get(p) ?? '');
      return ok(args.map((path) => ({ op: 'file', path, content: files.get(path) ?? '' })));
    case 'rm': {
      const paths = args.filter((a) => !a.startsWith('-'));
      for (const p of paths) files.delete(p);
      return ok(paths.map((path) => ({ op: 'unlink', path })));
    }
    case 'cat': {
      const steps: Step[] = [];
      let status = 0;
      for (const p of args) {
        if (files.has(p))
          for (const line of files.get(p)!.split('\n').filter(Boolean)) steps.push({ op: 'log', line });
        else {
          steps.push({ op: 'log', line: `cat: can't open '${p}': No such file or directory` });
          status = 1;
        }
      }
      return ok(steps, status);
    }
    case 'env':
    case 'printenv': {
      if (cmd === 'printenv' && args[0]) return env[args[0]] === undefined ? ok([], 1) : output(env[args[0]]);
      return ok(Object.entries(env).map(([k, v]) => ({ op: 'log', line: `${k}=${v}` })));
    }
    case 'date':
      return output(new Date().toUTCString().replace('GMT', 'UTC'));
    case 'nc':
    case 'httpd': {
      const at = args.indexOf('-p');
      const port = Number(args[at + 1]);
      if (at < 0 || !Number.isInteger(port)) return ok();
      return { steps: [{ op: 'listen', port }, FOREVER], status: 0, final: true };
    }
    case 'stress': {
      const at = args.indexOf('--vm-bytes');
      return { steps: [{ op: 'memory', bytes: stressBytes(args[at + 1]) }, FOREVER], status: 0, final: true };
    }
  }
  const name = cmd.slice(cmd.lastIndexOf('/') + 1);
  if (image.commands && !image.commands.has(name)) {
    const line = image.dialect === 'dash' ? `sh: 1: ${cmd}: not found` : `sh: ${cmd}: not found`;
    return { steps: [{ op: 'log', line }], status: 127, final: false };
  }
  return ok();
}

/** Compiles a script; the program ends with `exit <status of the last command>` unless it never ends. */
/** `files`: what the container has written so far (an exec probe runs inside a running container). */
export function compileShell(
  script: string,
  image: ShellImage,
  env: Record<string, string> = {},
  files: Map<string, string> = new Map(),
): Step[] {
  const tokens = tokenize(script, env);
  let pos = 0;
  let count = 0;
  const list = (until: (t: string) => boolean): Compiled => {
    const steps: Step[] = [];
    let status = 0;
    let skip = false;
    while (pos < tokens.length && !until(tokens[pos])) {
      if (tokens[pos] === ';' || tokens[pos] === '&') {
        pos++;
        skip = false;
        continue;
      }
      if (tokens[pos] === '&&' || tokens[pos] === '||') {
        skip = tokens[pos] === '&&' ? status !== 0 : status === 0;
        pos++;
        continue;
      }
      let unit: Compiled;
      if (tokens[pos] === 'while') {
        pos++;
        const condition = tokens[pos];
        while (pos < tokens.length && tokens[pos] !== 'do') pos++;
        pos++;
        const body = list((t) => t === 'done');
        pos++;
        const forever = condition === 'true' || condition === ':';
        // A loop with no sleep in it would spin: it still takes a second per round here.
        const paced = body.steps.some((s) => s.op === 'sleep')
          ? body.steps
          : [...body.steps, { op: 'sleep' as const, seconds: 1 }];
        unit = forever
          ? { steps: [{ op: 'loop', body: paced }], status: 0, final: true }
          : { steps: [], status: 0, final: false };
      } else {
        const words: string[] = [];
        while (
          pos < tokens.length &&
          ![';', '&&', '||', '&', '|'].includes(tokens[pos]) &&
          !until(tokens[pos])
        )
          words.push(tokens[pos++]);
        // A pipeline runs its last command's status; the earlier ones only print into it.
        if (tokens[pos] === '|') {
          pos++;
          continue;
        }
        unit = command(words, image, files, env);
      }
      if (skip) continue;
      steps.push(...unit.steps);
      status = unit.status;
      if ((count += unit.steps.length) > MAX_STEPS || unit.final) {
        while (pos < tokens.length && !until(tokens[pos])) pos++;
        return { steps, status, final: true };
      }
    }
    return { steps, status, final: false };
  };
  const result = list(() => false);
  return result.final ? result.steps : [...result.steps, { op: 'exit', code: result.status & 255 }];
}
