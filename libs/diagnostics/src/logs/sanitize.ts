// Makes one raw line safe to parse: strips ANSI escape sequences, replaces control bytes, clips very
// long lines to their head, and reports what it did so the gaps can be counted, never thrown.
import { MAX_LINE_CHARS } from './limits';

export interface Sanitized {
  text: string;
  ansi: boolean;
  binary: boolean;
  invalidUtf8: boolean;
  clipped: boolean;
}

// CSI (colours, cursor moves) and OSC sequences, as terminals and coloured loggers emit them.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
// Control characters other than tab: binary output written to stdout.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export function sanitizeLine(raw: string): Sanitized {
  const clipped = raw.length > MAX_LINE_CHARS;
  let text = clipped ? raw.slice(0, MAX_LINE_CHARS) : raw;
  if (text.endsWith('\r')) text = text.slice(0, -1);
  let ansi = false;
  let binary = false;
  if (text.includes('\u001b')) {
    const stripped = text.replace(ANSI, '');
    ansi = stripped.length !== text.length;
    text = stripped;
  }
  if (HAS_CONTROL.test(text)) {
    binary = true;
    text = text.replace(CONTROL, ' ');
  }
  const invalidUtf8 = text.includes('\ufffd');
  return { text, ansi, binary, invalidUtf8, clipped };
}
