// What part of a log a read asks the API server for, and how the answer says what it covered. A
// plain read takes the newest lines (tailLines); a search (grep) takes up to 50,000 lines so it
// covers the whole log in practice, and says so when it did not; `since` bounds either by time.
// Byte bounds keep memory finite: the kubelet applies limitBytes to the start of the selected tail,
// so a read that hits the byte bound is reported as cut, with the way to narrow it.
export const SEARCH_LINES = 50_000;
const SEARCH_BYTES = 16 * 1024 * 1024;
const READ_BYTES = 512 * 1024;
const MAX_SINCE_SECONDS = 30 * 86_400;

export const SINCE_PATTERN = /^(\d{1,7}[smhd]|\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))$/;

export type SinceBound = { sinceSeconds: number; text: string } | { sinceTime: string; text: string };

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A duration (`15m`) or an RFC 3339 time as the API's sinceSeconds / sinceTime; undefined when invalid. */
export function since(text: string, now: Date): SinceBound | undefined {
  const d = /^(\d+)([smhd])$/.exec(text);
  if (d) {
    const seconds = Number(d[1]) * UNIT[d[2]!]!;
    return seconds > 0 && seconds <= MAX_SINCE_SECONDS
      ? { sinceSeconds: seconds, text: `the last ${text}` }
      : undefined;
  }
  const at = Date.parse(text);
  if (!SINCE_PATTERN.test(text) || Number.isNaN(at) || now.getTime() - at > MAX_SINCE_SECONDS * 1000)
    return undefined;
  return { sinceTime: new Date(at).toISOString().replace(/\.000Z$/, 'Z'), text: `since ${text}` };
}

export interface LogWindow {
  options: { tailLines: number; limitBytes: number; sinceSeconds?: number; sinceTime?: string };
  /** What a read of `lines` lines and `bytes` bytes covered, for the answer's header. */
  describe(lines: number | undefined, bytes?: number): string;
}

export function readWindow(o: {
  tailLines?: number;
  search: boolean;
  perPodDefault: number;
  since?: SinceBound;
}): LogWindow {
  const tailLines = o.tailLines ?? (o.search ? SEARCH_LINES : o.perPodDefault);
  const limitBytes = o.search ? SEARCH_BYTES : READ_BYTES;
  const bound = o.since ? ` ${o.since.text}` : '';
  const options = {
    tailLines,
    limitBytes,
    ...(o.since && 'sinceSeconds' in o.since ? { sinceSeconds: o.since.sinceSeconds } : {}),
    ...(o.since && 'sinceTime' in o.since ? { sinceTime: o.since.sinceTime } : {}),
  };
  return {
    options,
    describe: (lines, bytes = 0) => {
      if (bytes >= limitBytes)
        return `the newest ${tailLines.toLocaleString('en-US')} lines${bound}, cut at ${Math.round(limitBytes / 1024)} KiB (the newest of them may be missing: add since or lower tailLines)`;
      if (lines !== undefined && lines < tailLines)
        return `the whole ${o.since ? 'window' : 'log'}${bound} (${lines.toLocaleString('en-US')} lines, fewer than the ${tailLines.toLocaleString('en-US')} asked for)`;
      return `the newest ${tailLines.toLocaleString('en-US')} lines${bound}${o.search && o.tailLines === undefined ? ' (older lines were not searched: add since to search further back)' : ''}`;
    },
  };
}
