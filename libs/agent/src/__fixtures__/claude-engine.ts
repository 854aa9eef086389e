// Test fixture: an engine whose provider is Claude over the real SDK against the strict fake, with
// the skills and report tools (no cluster: any read fails loudly) plus any tools a test adds.
import { type StreamEvent } from '@foxhound/contracts';
import { type ClusterReader, ClusterReadError } from '../cluster/reader';
import { createEngine, type Engine } from '../engine';
import { DEFAULT_LIMITS, type TurnLimits } from '../limits';
import { AnthropicProvider, type AnthropicProviderOptions } from '../providers/anthropic';
import { skillsToolset } from '../skills/fetch-skill';
import { loadSkillLibrary } from '../skills/library';
import { type FakeAnthropic } from '../testing/fake-anthropic';
import { type Toolset, ToolRegistry } from '../tools/registry';
import { reportToolset } from '../tools/report/submit-report';

export const noCluster: ClusterReader = new Proxy({} as ClusterReader, {
  get: () => () =>
    Promise.reject(new ClusterReadError('read the cluster', undefined, 'no cluster in this test')),
});

export const draftReport = {
  summary: 'checkout crashes at start-up because CHECKOUT_DB_URL is missing.',
  rootCause: 'Deployment shop/checkout revision 7 dropped CHECKOUT_DB_URL, so the app exits at start.',
  healthy: false,
  affected: { kind: 'Deployment', namespace: 'shop', name: 'checkout' },
  evidence: [{ source: 'previous-log', excerpt: 'KeyError: CHECKOUT_DB_URL' }],
  confidence: 0.85,
};

export interface ClaudeEngineOptions {
  limits?: Partial<TurnLimits>;
  provider?: Partial<AnthropicProviderOptions>;
  toolsets?: Toolset[];
  now?: () => Date;
}

export async function claudeEngine(fake: FakeAnthropic, options: ClaudeEngineOptions = {}): Promise<Engine> {
  const skills = loadSkillLibrary();
  const registry = await ToolRegistry.create([
    skillsToolset(skills),
    reportToolset,
    ...(options.toolsets ?? []),
  ]);
  const provider = new AnthropicProvider({
    apiKey: fake.apiKey,
    baseURL: fake.url,
    maxRetries: 1,
    retryBaseMs: 1,
    ...options.provider,
  });
  return createEngine({
    provider,
    registry,
    cluster: noCluster,
    skills,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    now: options.now,
  });
}

export async function runTurn(
  engine: Engine,
  prompt = 'checkout is returning 500s',
  history: { role: 'user' | 'assistant'; text: string }[] = [],
) {
  const events: StreamEvent[] = [];
  const output = await engine.runTurn(
    { threadId: 't-1', prompt, history, context: { namespaces: ['shop'] } },
    { emit: (e) => void events.push(e) },
    new AbortController().signal,
  );
  const result = events.find((e) => e.type === 'result');
  return { events, output, result: result?.type === 'result' ? result.data : undefined };
}

export const thoughts = (events: StreamEvent[]): string[] =>
  events.flatMap((e) => (e.type === 'thought' ? [e.data.text] : []));

export const toolEnds = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === 'tool_end' ? [e.data] : []));
