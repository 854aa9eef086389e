// Terminal styles: ANSI colour on a TTY, plain text otherwise and whenever NO_COLOR is set (any
// value, per no-color.org) or --no-color is given.
export interface Style {
  dim(s: string): string;
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

const code = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const colour: Style = {
  dim: code(2, 22),
  bold: code(1, 22),
  red: code(31, 39),
  yellow: code(33, 39),
  green: code(32, 39),
  cyan: code(36, 39),
};
const identity = (s: string) => s;
export const plain: Style = {
  dim: identity,
  bold: identity,
  red: identity,
  yellow: identity,
  green: identity,
  cyan: identity,
};

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColor = false): Style {
  return stream.isTTY && !noColor && env.NO_COLOR === undefined ? colour : plain;
}
