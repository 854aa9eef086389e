// Test harness for the executor: a real executor on 127.0.0.1:0 wired exactly as main() wires it,
// reading a kube-sim cluster through a kubeconfig file, optionally with Claude pointed at the local
// fake Messages API. Streams are read with service-kit's raw SSE client.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FakeAnthropic } from '@foxhound/agent';
import { type StreamEvent, StreamEventSchema } from '@foxhound/contracts';
import { type KubeSim } from '@foxhound/kube-sim';
import { createLogger, loadConfig, openEventStream, type ParsedSseFrame } from '@foxhound/service-kit';
import { ExecutorConfigSchema } from '../config/schema';
import { type RunningExecutor, startExecutor } from '../run';

export const SCENARIOS = path.resolve(__dirname, '../../../../scenarios');

export async function startTestExecutor(
  sim: KubeSim,
  env: Record<string, string> = {},
  options: { fake?: FakeAnthropic; heartbeatMs?: number } = {},
): Promise<RunningExecutor & { url: string; cleanup(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'executor-test-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  await sim.writeKubeconfig(kubeconfig);
  const fakeEnv: Record<string, string> = options.fake
    ? {
        EXECUTOR_PROVIDER: 'anthropic',
        ANTHROPIC_API_KEY: options.fake.apiKey,
        ANTHROPIC_BASE_URL: options.fake.url,
      }
    : { EXECUTOR_PROVIDER: 'offline' };
  const config = loadConfig(ExecutorConfigSchema, {
    PORT: '0',
    HOST: '127.0.0.1',
    KUBECONFIG: kubeconfig,
    SHUTDOWN_TIMEOUT_SECONDS: '2',
    ...fakeEnv,
    ...env,
  });
  const executor = await startExecutor(config, createLogger({ service: 'executor', level: 'silent' }), {
    heartbeatMs: options.heartbeatMs,
  });
  return {
    ...executor,
    url: executor.server.url,
    cleanup: async () => {
      await executor.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ReadStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  frames: ParsedSseFrame[];
  events: StreamEvent[];
  body?: unknown;
}

/** POSTs and reads the whole answer: SSE frames (validated against the contract) or a JSON error. */
export async function post(
  url: string,
  route: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<ReadStream> {
  const opened = await openEventStream(`${url}${route}`, { method: 'POST', body, signal });
  if (opened.status !== 200) {
    return {
      status: opened.status,
      headers: opened.headers,
      frames: [],
      events: [],
      body: JSON.parse(await opened.text()),
    };
  }
  const frames: ParsedSseFrame[] = [];
  for await (const frame of opened.frames) frames.push(frame);
  return {
    status: opened.status,
    headers: opened.headers,
    frames,
    events: frames.map((f) => StreamEventSchema.parse(JSON.parse(f.data))),
  };
}

/** Opens a stream and hands back its frames as they come, for tests that act mid-stream. */
export async function open(url: string, body: unknown) {
  const opened = await openEventStream(`${url}/execute`, { method: 'POST', body });
  const frames: ParsedSseFrame[] = [];
  const done = (async () => {
    for await (const frame of opened.frames) frames.push(frame);
    return frames.map((f) => StreamEventSchema.parse(JSON.parse(f.data)));
  })();
  return { opened, frames, done };
}

/** Reads a counter or gauge from /metrics. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
