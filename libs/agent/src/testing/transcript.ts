// Multi-step transcripts replayed in CI. A case (transcript-cases.ts) is a scenario cluster, a
// request and the model's turns; recording runs it against the strict fake in script mode and saves
// every exchange (request and answer) with the events and the result to transcripts/<name>.json.
// Replaying serves those answers through the fake's replay mode: a request that differs from its
// recording (a changed prompt, tool schema or tool output) is a divergence, and the events and
// result must come out as recorded. Requests are stored once per distinct system prompt, tool list
// and message (by hash) so a file stays small.
import fs from 'node:fs';
import path from 'node:path';
import { type StreamEvent } from '@foxhound/contracts';
import { createAgent } from '../agent';
import { type TurnLimits } from '../limits';
import { type TurnOutput } from '../engine';
import { scenarioCluster, type ClusterChanges } from './transcript-cluster';
import { type FakeStep, type RecordedExchange, startFakeAnthropic } from './fake-anthropic';
import { sha } from './fake-wire';

export const TRANSCRIPTS_DIR = path.resolve(__dirname, '../../transcripts');
const SCENARIOS_DIR = path.resolve(__dirname, '../../../../scenarios');
/** Every transcript runs at this instant, so ages and timestamps never change between runs. */
export const TRANSCRIPT_NOW = new Date('2026-12-07T12:00:00.000Z');

export interface TranscriptCase {
  name: string;
  /** What the case exercises and where its incident and API behaviour come from. */
  about: string;
  sources: string[];
  scenario: string;
  prompt: string;
  namespaces: string[];
  history?: { role: 'user' | 'assistant'; text: string }[];
  model?: string;
  limits?: Partial<TurnLimits>;
  cluster?: ClusterChanges;
  /** The model's turns: hand-built from the documented response shapes. */
  script: FakeStep[];
}

export interface TranscriptFile {
  name: string;
  about: string;
  sources: string[];
  model: string;
  /** Hash → a system prompt, a tool list or one message. */
  parts: Record<string, unknown>;
  exchanges: { system: string; tools: string; messages: string[]; response: RecordedExchange['response'] }[];
  events: unknown[];
  result: { subtype: string; text: string };
}

export interface TranscriptRun {
  events: StreamEvent[];
  output: TurnOutput;
  exchanges: RecordedExchange[];
  refusals: unknown[];
  divergences: string[];
  /** What each request carried back to the model, for assertions on tool_result content. */
  requests: { messages: unknown[] }[];
}

export async function runTranscript(c: TranscriptCase, replay?: TranscriptFile): Promise<TranscriptRun> {
  const fake = await startFakeAnthropic(
    replay ? { replay: expand(replay), usage: 'simulated' } : { script: c.script, usage: 'simulated' },
  );
  try {
    const cluster = await scenarioCluster(path.join(SCENARIOS_DIR, c.scenario), TRANSCRIPT_NOW, c.cluster);
    const { engine } = await createAgent({
      cluster,
      provider: 'anthropic',
      anthropic: {
        apiKey: fake.apiKey,
        baseURL: fake.url,
        maxRetries: 0,
        ...(c.model ? { model: c.model } : {}),
      },
      limits: c.limits,
      now: () => TRANSCRIPT_NOW,
    });
    const events: StreamEvent[] = [];
    const output = await engine.runTurn(
      {
        threadId: `transcript-${c.name}`,
        prompt: c.prompt,
        history: c.history ?? [],
        context: { namespaces: c.namespaces },
      },
      { emit: (e) => void events.push(e) },
      new AbortController().signal,
    );
    return {
      events,
      output,
      exchanges: fake.exchanges,
      refusals: fake.refusals,
      divergences: fake.divergences,
      requests: fake.requests.map((r) => ({ messages: r.body.messages })),
    };
  } finally {
    await fake.close();
  }
}

/** A run as a file: requests by hash, events in their comparable form. */
export function toFile(c: TranscriptCase, model: string, run: TranscriptRun): TranscriptFile {
  const parts: Record<string, unknown> = {};
  const put = (value: unknown): string => {
    const hash = sha(JSON.stringify(value ?? null)).slice(0, 16);
    parts[hash] = value ?? null;
    return hash;
  };
  const result = run.events.find((e) => e.type === 'result' || e.type === 'error');
  return {
    name: c.name,
    about: c.about,
    sources: c.sources,
    model,
    parts,
    exchanges: run.exchanges.map((e) => ({
      system: put(e.request.system),
      tools: put(e.request.tools),
      messages: e.request.messages.map(put),
      response: e.response,
    })),
    events: comparableEvents(run.events),
    result: {
      subtype: run.output.subtype,
      text:
        (result?.data as { text?: string; message?: string }).text ??
        (result?.data as { message: string }).message,
    },
  };
}

export function expand(file: TranscriptFile): RecordedExchange[] {
  return file.exchanges.map((e) => ({
    request: {
      system: file.parts[e.system] as RecordedExchange['request']['system'],
      tools: file.parts[e.tools] as RecordedExchange['request']['tools'],
      messages: e.messages.map((h) => file.parts[h]) as RecordedExchange['request']['messages'],
    },
    response: e.response,
  }));
}

/**
 * Events as compared: without timestamps and durations (volatile), grouped by the agent or tool
 * call that emitted them and in order within each group. Across groups the order is left out:
 * concurrent tool calls and specialists finish in whatever order the machine runs them.
 */
export function comparableEvents(events: StreamEvent[]): unknown[] {
  const groups = new Map<string, unknown[]>();
  for (const event of events) {
    const data = { ...(event.data as Record<string, unknown>) };
    delete data.duration_ms;
    const key = `${String(data.parent_tool_use_id ?? '')}|${String(data.tool_use_id ?? '')}|${event.type === 'result' || event.type === 'error' ? 'end' : ''}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push({ type: event.type, data });
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, list]) => ({ group, events: list }));
}

export const transcriptPath = (name: string): string => path.join(TRANSCRIPTS_DIR, `${name}.json`);

export function readTranscript(name: string): TranscriptFile {
  return JSON.parse(fs.readFileSync(transcriptPath(name), 'utf8')) as TranscriptFile;
}

export function writeTranscript(file: TranscriptFile): void {
  fs.mkdirSync(TRANSCRIPTS_DIR, { recursive: true });
  fs.writeFileSync(transcriptPath(file.name), `${JSON.stringify(file, null, 1)}\n`);
}
