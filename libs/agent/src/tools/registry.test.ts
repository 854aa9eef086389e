import { type StreamEvent } from '@foxhound/contracts';
import { z } from 'zod';
import { ClusterReadError } from '../cluster/reader';
import { TurnEmitter } from '../events/emitter';
import { type RoleDefinition } from '../roles/types';
import { type ToolContext, TurnState } from './context';
import { defineTool, ok } from './define';
import { ToolRegistry, type Toolset } from './registry';

const echo = defineTool({
  name: 'echo',
  description: 'Echo text back.',
  params: z.object({ text: z.string().max(10), times: z.number().int().min(1).optional() }),
  summary: (p) => `Echoing ${p.text}`,
  run: async (p) => ok(p.text.repeat(p.times ?? 1), `Echoed ${p.text}`),
});
const forbidden = defineTool({
  name: 'read_secret',
  description: 'Fails like a 403.',
  params: z.object({}),
  summary: () => 'Reading a secret',
  run: async () => {
    throw new ClusterReadError('get Secret shop/db', 403, 'secrets "db" is forbidden');
  },
});
const broken = defineTool({
  name: 'broken',
  description: 'Throws.',
  params: z.object({}),
  summary: () => 'Breaking',
  run: async () => {
    throw new Error('boom');
  },
});
const chatty = defineTool({
  name: 'chatty',
  description: 'Long output.',
  params: z.object({}),
  summary: () => 'Talking',
  outputBudget: 40,
  run: async () => ok(Array.from({ length: 50 }, (_, i) => `row ${i}`).join('\n'), 'Talked'),
});

const role: RoleDefinition = {
  id: 'investigator',
  title: 'investigator',
  description: '',
  prompt: '',
  tools: ['echo', 'read_secret', 'broken', 'chatty', 'offline_only', 'ghost'],
  skills: [],
};

async function setup(extra: Toolset[] = []) {
  const registry = await ToolRegistry.create([
    { name: 'test/tools', description: '', tools: [echo, forbidden, broken, chatty] },
    ...extra,
  ]);
  const events: StreamEvent[] = [];
  const turn = new TurnState(['shop']);
  const ctx: ToolContext = {
    cluster: {} as ToolContext['cluster'],
    turn,
    emitter: new TurnEmitter(
      't1',
      { emit: (e) => void events.push(e) },
      { role: 'investigator', parentToolUseId: 'toolu_parent' },
    ),
    signal: new AbortController().signal,
    now: () => new Date(),
  };
  const invoke = (name: string, input: unknown, r: RoleDefinition = role) =>
    registry.invoke({ name, input, toolUseId: `id_${name}`, role: r }, ctx);
  const ends = () => events.flatMap((e) => (e.type === 'tool_end' ? [e.data] : []));
  return { registry, events, turn, invoke, ends };
}

describe('ToolRegistry', () => {
  it('redacts secrets in tool output before the model or the stream sees them', async () => {
    const envDump = defineTool({
      name: 'env_dump',
      description: 'A container environment, as a log would show it.',
      params: z.object({}),
      summary: () => 'Reading env',
      run: async () =>
        ok('DB_PASSWORD=hunter2\nDATABASE_URL=postgres://app:s3cret@db:5432/app\nLOG_LEVEL=info', 'Read env'),
    });
    const { invoke, ends } = await setup([{ name: 'test/env', description: '', tools: [envDump] }]);
    const outcome = await invoke('env_dump', {}, { ...role, tools: ['env_dump'] });
    const redacted =
      'DB_PASSWORD=[redacted]\nDATABASE_URL=postgres://app:[redacted]@db:5432/app\nLOG_LEVEL=info';
    expect(outcome.text).toBe(redacted);
    expect(ends()[0]!.output).toBe(redacted);
  });

  it('runs a tool between tool_start and tool_end stamped with the role', async () => {
    const { invoke, events } = await setup();
    const outcome = await invoke('echo', { text: 'hi', times: 2 });
    expect(outcome).toEqual({ status: 'success', text: 'hihi', summary: 'Echoed hi', data: undefined });
    expect(events.map((e) => e.type)).toEqual(['tool_start', 'tool_end']);
    expect(events[0]!.data).toEqual({
      name: 'echo',
      tool_use_id: 'id_echo',
      input: { text: 'hi', times: 2 },
      summary: 'Echoing hi',
      role: 'investigator',
      parent_tool_use_id: 'toolu_parent',
    });
    expect(events[1]!.data).toMatchObject({
      success: true,
      status: 'success',
      output: 'hihi',
      summary: 'Echoed hi',
    });
  });

  it.each([
    [
      'a tool outside the role list',
      'refused',
      'echo',
      { text: 'x' },
      { ...role, tools: ['chatty'] },
      "may not call echo; it is outside this role's tool list (chatty)",
    ],
    ['a tool in the list that does not exist', 'error', 'ghost', {}, role, 'There is no tool named "ghost"'],
    [
      'an invalid parameter',
      'error',
      'echo',
      { text: 'far too long text' },
      role,
      'Invalid input for echo: text: Too big',
    ],
    ['a missing parameter', 'error', 'echo', {}, role, 'Parameters: text, times?'],
    ['a tool that throws', 'error', 'broken', {}, role, 'broken failed: boom'],
  ] as const)('answers %s with a visible %s result', async (_name, status, tool, input, r, message) => {
    const { invoke, ends } = await setup();
    const outcome = await invoke(tool, input, r);
    expect(outcome.status).toBe(status);
    expect(outcome.text).toContain(message);
    expect(ends()[0]).toMatchObject({ status, success: false, error: expect.stringContaining(message) });
  });

  it('turns a 403 into an error result and a blind spot, not a crash', async () => {
    const { invoke, turn } = await setup();
    const outcome = await invoke('read_secret', {});
    expect(outcome.status).toBe('error');
    expect(outcome.text).toContain(
      "Not permitted: get Secret shop/db. The executor's ServiceAccount is read-only",
    );
    expect([...turn.notChecked]).toEqual([
      "get Secret shop/db (forbidden for the executor's read-only ServiceAccount)",
    ]);
  });

  it('bounds output and says what was cut', async () => {
    const { invoke, ends } = await setup();
    const outcome = await invoke('chatty', {});
    expect(outcome.text).toMatch(/^row 0\nrow 1\nrow 2\nrow 3\nrow 4\nrow 5\n\[\.\.\. 44 later lines/);
    expect(ends()[0]!.truncated).toBe('44 later lines (1 KB)');
  });

  it('reports toolsets as enabled, disabled or failed, and refuses calls to unavailable tools', async () => {
    const offline = defineTool({
      name: 'offline_only',
      description: '',
      params: z.object({}),
      summary: () => '',
      run: async () => ok('', ''),
    });
    const { registry, invoke } = await setup([
      { name: 'off', description: '', tools: [offline], disabledReason: 'PROMETHEUS_URL is not set' },
      {
        name: 'failing',
        description: '',
        tools: [],
        prerequisite: async () => {
          throw new Error('Prometheus answered 503');
        },
      },
    ]);
    expect(registry.statuses.map((s) => [s.name, s.status, s.reason])).toEqual([
      ['test/tools', 'enabled', undefined],
      ['off', 'disabled', 'PROMETHEUS_URL is not set'],
      ['failing', 'failed', 'Prometheus answered 503'],
    ]);
    expect(registry.toolsFor(role).map((t) => t.name)).toEqual(['echo', 'read_secret', 'broken', 'chatty']);
    expect((await invoke('offline_only', {})).text).toBe(
      'offline_only is unavailable: PROMETHEUS_URL is not set.',
    );
  });

  it('rejects two toolsets defining the same tool name', async () => {
    await expect(
      ToolRegistry.create([
        { name: 'a', description: '', tools: [echo] },
        { name: 'b', description: '', tools: [echo] },
      ]),
    ).rejects.toThrow('Tool "echo" is defined by two toolsets.');
  });

  it('clips long strings in the tool_start input echo', async () => {
    const { registry, events } = await setup();
    const ctx = {
      cluster: {} as ToolContext['cluster'],
      turn: new TurnState([]),
      emitter: new TurnEmitter('t', { emit: (e) => void events.push(e) }),
      signal: new AbortController().signal,
      now: () => new Date(),
    };
    await registry.invoke({ name: 'echo', input: { text: 'x'.repeat(500) }, toolUseId: 'i', role }, ctx);
    const start = events[0]!;
    if (start.type !== 'tool_start') throw new Error('expected tool_start');
    expect(String(start.data.input.text)).toHaveLength(201);
  });
});
