// How a command talks to the user: human lines on stdout (styled for a TTY), one JSON document or
// one JSON event per line with --json, progress and the spinner on stderr so stdout stays parseable.
import { createSpinner, type Spinner } from './render/spinner';
import { styleFor, type Style } from './render/style';

export interface Ui {
  json: boolean;
  style: Style;
  spinner: Spinner;
  /** A human line on stdout (nothing with --json). */
  say(line?: string): void;
  /** A progress line on stderr (nothing with --json). */
  note(line: string): void;
  /** One JSON value on its own line on stdout (only with --json). */
  emit(value: unknown): void;
}

export interface UiOptions {
  json: boolean;
  color: boolean;
  env: NodeJS.ProcessEnv;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export function createUi(options: UiOptions): Ui {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const style = styleFor(stdout, options.env, !options.color);
  const spinner = createSpinner(stderr, !options.json);
  return {
    json: options.json,
    style,
    spinner,
    say(line = '') {
      if (options.json) return;
      spinner.clear();
      stdout.write(`${line}\n`);
    },
    note(line) {
      if (options.json) return;
      spinner.clear();
      stderr.write(`${styleFor(stderr, options.env, !options.color).dim(line)}\n`);
    },
    emit(value) {
      if (options.json) stdout.write(`${JSON.stringify(value)}\n`);
    },
  };
}
