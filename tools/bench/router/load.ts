// Load generators for the router bench. Closed-loop throughput with wrk when it is installed
// (autocannon otherwise); an open-loop fixed-rate generator for latency at moderate load (autocannon
// reports whole milliseconds, too coarse for a 2 ms budget); and a time-to-first-SSE-event probe.
import { execFileSync, spawnSync } from 'node:child_process';
import http from 'node:http';
import autocannon from 'autocannon';

export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  /** Requests completed. */
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export function hasWrk(): boolean {
  try {
    execFileSync('which', ['wrk'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function wrkLatency(output: string, percentile: string): number {
  const match = new RegExp(`^\\s*${percentile}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(output);
  if (!match) throw new Error(`wrk printed no ${percentile}% latency:\n${output}`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function runWrk(target: Target, path: string, connections: number, seconds: number): LoadResult {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(target.headers)) args.push('-H', `${name}: ${value}`);
  args.push(`${target.url}${path}`);
  const run = spawnSync('wrk', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`wrk failed: ${run.stderr}`);
  const out = run.stdout;
  const rps = Number(/^Requests\/sec:\s+([\d.]+)/m.exec(out)?.[1]);
  const errors = [
    ...out.matchAll(
      /Non-2xx or 3xx responses: (\d+)|Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/g,
    ),
  ]
    .flatMap((m) => m.slice(1).filter(Boolean).map(Number))
    .reduce((a, b) => a + b, 0);
  const requests = Number(/^\s*(\d+) requests in/m.exec(out)?.[1]);
  return { requests, rps, p50Ms: wrkLatency(out, '50'), p99Ms: wrkLatency(out, '99'), errors };
}

export async function runAutocannon(
  target: Target,
  path: string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const result = await new Promise<autocannon.Result>((resolve, reject) =>
    autocannon(
      { url: `${target.url}${path}`, connections, duration: seconds, headers: target.headers },
      (err, res) => (err ? reject(err) : resolve(res)),
    ),
  );
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Open loop: `rate` requests per second spread over `connections` keep-alive sockets for `seconds`.
 * Latency counts from when a request was due, so a stalled server cannot hide its queue.
 */
export async function runFixedRate(
  target: Target,
  path: string,
  rate: number,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round(rate * seconds);
  const start = process.hrtime.bigint();
  const intervalNs = 1e9 / rate;
  // A target that cannot keep up would take minutes to drain its queue: give it twice the duration,
  // then count whatever is still outstanding as errors.
  await new Promise<void>((resolve) => {
    let sent = 0;
    let done = 0;
    const deadline = setTimeout(() => {
      errors += total - done;
      done = total;
      resolve();
    }, seconds * 2000);
    const finish = (dueNs: bigint, ok: boolean) => {
      if (done === total) return;
      if (ok) latencies.push(Number(process.hrtime.bigint() - dueNs) / 1e6);
      else errors += 1;
      done += 1;
      if (done === total) {
        clearTimeout(deadline);
        resolve();
      }
    };
    const tick = () => {
      if (done === total) return;
      const elapsed = Number(process.hrtime.bigint() - start);
      while (sent < total && sent * intervalNs <= elapsed) {
        const due = start + BigInt(Math.round(sent * intervalNs));
        sent += 1;
        const req = http.get(`${target.url}${path}`, { agent, headers: target.headers }, (res) => {
          res.resume();
          res.once('end', () => finish(due, res.statusCode === 200));
        });
        req.once('error', () => finish(due, false));
      }
      // A timer, not setImmediate: a spinning generator would take a core from the servers it measures.
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: total / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
  };
}

/** Sequential requests to an SSE endpoint: time from sending to the first `data:` bytes. */
export async function runSseTtfb(target: Target, path: string, count: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i += 1) {
    const sample = await new Promise<number | undefined>((resolve) => {
      const started = process.hrtime.bigint();
      const req = http.get(
        `${target.url}${path}`,
        { agent, headers: { accept: 'text/event-stream', ...target.headers } },
        (res) => {
          let first: number | undefined;
          res.on('data', (chunk: Buffer) => {
            if (first === undefined && chunk.includes('data:'))
              first = Number(process.hrtime.bigint() - started) / 1e6;
          });
          res.once('end', () => resolve(res.statusCode === 200 ? first : undefined));
        },
      );
      req.once('error', () => resolve(undefined));
    });
    if (sample === undefined) errors += 1;
    else samples.push(sample);
  }
  agent.destroy();
  samples.sort((a, b) => a - b);
  const elapsedS = samples.reduce((a, b) => a + b, 0) / 1000;
  return {
    requests: samples.length,
    rps: samples.length / Math.max(elapsedS, 1e-9),
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    errors,
  };
}
