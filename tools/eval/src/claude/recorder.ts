// `--record DIR`: a loopback proxy between the agent and the Messages API that records every call
// of a run. Each case turn gets one transcript file, DIR/<lane>-<case>-turn<n>.json: the calls in
// arrival order, in the shape the agent's fake Messages API replays (transcript.ts), so a recorded
// real run can be served step by step in CI. The API key is forwarded, never written.
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fromError, fromSse, requestKey, type TranscriptExchange } from './transcript';

/** Headers passed upstream; everything else (host, length, connection) is the proxy's own. */
const FORWARDED = [
  'x-api-key',
  'authorization',
  'anthropic-version',
  'anthropic-beta',
  'content-type',
  'accept',
];
const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface Recorder {
  /** Base URL to give the Anthropic client. */
  url: string;
  /** Names the files of the calls that follow (`<lane>-<case>-turn<n>`). */
  label(name: string): void;
  /** Transcript files written so far. */
  readonly written: string[];
  /** Model calls recorded. */
  readonly calls: number;
  close(): Promise<void>;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function pick(headers: http.IncomingHttpHeaders, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = headers[n];
    if (typeof v === 'string') out[n] = v;
  }
  return out;
}

export async function startRecorder(options: { upstream: string; dir: string }): Promise<Recorder> {
  await mkdir(options.dir, { recursive: true });
  const upstream = options.upstream.replace(/\/+$/, '');
  let current = 'run';
  let calls = 0;
  const written: string[] = [];
  const transcripts = new Map<string, TranscriptExchange[]>();
  const server = http.createServer((req, res) => {
    void (async () => {
      try {
        const body = await readBody(req);
        const reply = await fetch(`${upstream}${req.url ?? '/'}`, {
          method: req.method,
          headers: pick(req.headers, FORWARDED),
          body: body.length ? body : undefined,
        });
        const text = await reply.text();
        const contentType = reply.headers.get('content-type') ?? 'application/octet-stream';
        if (req.method === 'POST' && req.url?.startsWith('/v1/messages')) {
          const sent = JSON.parse(body.toString('utf8')) as TranscriptExchange['request'];
          const label = current;
          const transcript = transcripts.get(label) ?? [];
          transcript.push({
            request: requestKey(sent),
            response: reply.ok ? fromSse(text) : fromError(reply.status, text),
          });
          transcripts.set(label, transcript);
          calls += 1;
          const file = join(options.dir, `${label}.json`);
          await writeFile(file, JSON.stringify(transcript, null, 2));
          if (!written.includes(file)) written.push(file);
        }
        res.writeHead(reply.status, { 'content-type': contentType });
        res.end(text);
      } catch (err) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            type: 'error',
            error: {
              type: 'api_error',
              message: `eval recorder: ${err instanceof Error ? err.message : String(err)}`,
            },
          }),
        );
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    label: (name) => {
      current = name.replace(/[^A-Za-z0-9_.+-]/g, '-');
    },
    written,
    get calls() {
      return calls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
