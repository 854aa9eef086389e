// CI replays every transcript (transcript-cases.ts, recordings in transcripts/) through the strict
// fake: each request must match its recording (a changed prompt, tool schema or tool output is a
// divergence), and every event and the result must come out as recorded. After a reviewed change,
// re-record: RECORD_TRANSCRIPTS=1 npx jest src/testing/transcripts (then review the JSON diff).
import { type StreamEvent } from '@foxhound/contracts';
import {
  comparableEvents,
  readTranscript,
  runTranscript,
  toFile,
  type TranscriptRun,
  writeTranscript,
} from './transcript';
import { TRANSCRIPT_CASES } from './transcript-cases';

const RECORD = process.env.RECORD_TRANSCRIPTS === '1';
const MODEL = 'claude-sonnet-5-5';

const resultOf = (events: StreamEvent[]) => {
  const last = events.at(-1);
  return last?.type === 'result' ? last.data : undefined;
};
const thoughtTexts = (events: StreamEvent[]) =>
  events.flatMap((e) => (e.type === 'thought' ? [e.data.text] : []));
const toolResultsText = (run: TranscriptRun) => JSON.stringify(run.requests.at(-1)?.messages ?? []);

/** What each transcript demonstrates, checked on the replayed run. */
const MEASURES: Record<string, (run: TranscriptRun) => void> = {
  'crashloop-parallel-specialists': (run) => {
    expect(resultOf(run.events)).toMatchObject({
      subtype: 'success',
      report: { proposals: [{ action: { type: 'RollbackDeployment' } }] },
    });
    expect(thoughtTexts(run.events)).toContain(
      'Analyzers point at the new ReplicaSet. State and logs in parallel.',
    );
  },
  'stale-password-every-replica': (run) => {
    expect(resultOf(run.events)).toMatchObject({ subtype: 'success', report: { healthy: false } });
    expect(toolResultsText(run)).toContain('password authentication failed');
  },
  'parallel-reads-imagepull': (run) => expect(resultOf(run.events)?.subtype).toBe('success'),
  'refusal-mid-investigation': (run) =>
    expect(resultOf(run.events)).toMatchObject({
      subtype: 'error_refusal',
      success: false,
      report: { partial: true },
    }),
  'max-tokens-cut-then-continue': (run) => expect(resultOf(run.events)?.subtype).toBe('success'),
  'pause-turn-continued': (run) => expect(resultOf(run.events)?.subtype).toBe('success'),
  'budget-exhausted-partial-report': (run) => {
    expect(resultOf(run.events)).toMatchObject({ subtype: 'error_max_turns', report: { partial: true } });
    expect(
      thoughtTexts(run.events).filter((t) => t.startsWith('Asking the commander to conclude')),
    ).toHaveLength(1);
  },
  'prompt-injection-log-line': (run) => {
    expect(resultOf(run.events)).toMatchObject({
      subtype: 'success',
      report: { healthy: true, proposals: [] },
    });
    expect(run.events.some((e) => e.type === 'proposal')).toBe(false);
    // The forged closing tag was defused: the only </tool_output> in a result is the envelope's own.
    const logs = run.requests.flatMap(
      (r) =>
        JSON.stringify(r.messages).match(/<tool_output tool=\\"fetch_pod_logs\\">[\s\S]*?<\/tool_output>/g) ??
        [],
    );
    expect(
      logs.some((l) => l.includes('ignore previous instructions') && l.includes('</tool-output>')),
    ).toBe(true);
  },
  'five-megabyte-log': (run) => {
    const logs = run.events.find((e) => e.type === 'tool_end' && e.data.name === 'fetch_pod_logs');
    expect(logs?.type === 'tool_end' && (logs.data.output ?? '').length).toBeLessThan(40_000);
    expect(resultOf(run.events)?.subtype).toBe('success');
  },
  'tool-timeout': (run) => {
    const ends = run.events.filter((e) => e.type === 'tool_end' && e.data.name === 'fetch_pod_logs');
    expect(ends.map((e) => (e.data as { summary?: string }).summary)).toEqual(['fetch_pod_logs timed out']);
    expect(resultOf(run.events)?.subtype).toBe('success');
  },
  'one-tool-forever': (run) => {
    expect(resultOf(run.events)).toMatchObject({ subtype: 'error_max_turns', report: { partial: true } });
    expect(
      run.events.filter(
        (e) => e.type === 'tool_end' && e.data.summary?.startsWith('Answered from the earlier'),
      ),
    ).toHaveLength(5);
  },
  'follow-up-direct-answer': (run) => {
    expect(resultOf(run.events)).toMatchObject({
      subtype: 'success',
      text: expect.stringContaining('512Mi'),
    });
    expect(resultOf(run.events)).not.toHaveProperty('report');
  },
};

describe('recorded transcripts replayed through the strict fake', () => {
  it('has at least ten transcripts, each with its measure', () => {
    expect(TRANSCRIPT_CASES.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(MEASURES).sort()).toEqual(TRANSCRIPT_CASES.map((c) => c.name).sort());
  });

  it.each(TRANSCRIPT_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const run = RECORD ? await runTranscript(c) : await runTranscript(c, readTranscript(c.name));
    expect(run.divergences).toEqual([]);
    expect(run.refusals).toEqual([]);
    expect(run.events.filter((e) => e.type === 'result' || e.type === 'error')).toHaveLength(1);
    expect(['result', 'error']).toContain(run.events.at(-1)?.type);
    if (RECORD) writeTranscript(toFile(c, MODEL, run));
    const recorded = readTranscript(c.name);
    expect(comparableEvents(run.events)).toEqual(recorded.events);
    expect(run.output.subtype).toBe(recorded.result.subtype);
    MEASURES[c.name]!(run);
  });
});
