// MCP servers as toolsets, against a real MCP server built with the SDK (Streamable HTTP on
// 127.0.0.1:0): only allow-listed tools join the registry, for the roles granted; calls run through
// the registry (validation, envelope-free text, redaction, output budget); a hostile server's
// oversized answer is cut and its binary content not passed on; an unreachable server leaves its
// toolset failed with the reason and the agent starts without it.
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { noCluster } from '../../__fixtures__/claude-engine';
import { createAgent } from '../../agent';
import { commander, investigator, logAnalyst } from '../../roles/roles';
import { toolSpecs } from '../../providers/tool-calls';
import { TurnEmitter } from '../../events/emitter';
import { type ToolContext, TurnState } from '../context';
import { ToolRegistry } from '../registry';
import { mcpToolsets } from './mcp-toolset';

let server: http.Server;
let url: string;
const calls: unknown[] = [];

function logServer(): McpServer {
  const mcp = new McpServer({ name: 'log-store', version: '1.0.0' });
  mcp.registerTool(
    'search_logs',
    {
      description: 'Search the log store.',
      inputSchema: { query: z.string().min(1), limit: z.number().int().max(1000).optional() },
    },
    async (args) => {
      calls.push(args);
      return {
        content: [{ type: 'text', text: `3 lines match ${args.query}\npassword=hunter2 in line 2` }],
      };
    },
  );
  mcp.registerTool('flood', { description: 'Answers far too much.' }, async () => ({
    content: [
      { type: 'text', text: 'x'.repeat(500_000) },
      { type: 'image', data: Buffer.from('png').toString('base64'), mimeType: 'image/png' },
    ],
  }));
  mcp.registerTool('broken', { description: 'Always fails.' }, async () => ({
    content: [{ type: 'text', text: 'index unavailable' }],
    isError: true,
  }));
  mcp.registerTool('delete_index', { description: 'Not for Foxhound.' }, async () => {
    calls.push('delete_index');
    return { content: [{ type: 'text', text: 'deleted' }] };
  });
  return mcp;
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', async () => {
      const mcp = logServer();
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => void mcp.close());
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body ? JSON.parse(body) : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const testToolContext = (): ToolContext => ({
  cluster: noCluster,
  turn: new TurnState(['shop']),
  emitter: new TurnEmitter('t-mcp', { emit: () => undefined }, { role: 'investigator' }),
  signal: new AbortController().signal,
  now: () => new Date(),
});

const config = (extra: Record<string, unknown> = {}) => ({
  name: 'logs',
  url,
  allow: ['search_logs', 'flood', 'broken', 'not_offered'],
  roles: ['investigator' as const, 'log_analyst' as const],
  ...extra,
});

describe('MCP servers as toolsets', () => {
  it('adds only allow-listed tools, to the roles granted, and runs them through the registry', async () => {
    const mcp = await mcpToolsets([config()]);
    try {
      const registry = await ToolRegistry.create(mcp.toolsets, { outputBudget: 2_000 });
      expect(registry.statuses).toEqual([
        { name: 'mcp/logs', status: 'enabled', tools: ['logs_search_logs', 'logs_flood', 'logs_broken'] },
      ]);
      expect(registry.instructionsFor(investigator)).toEqual([
        'The MCP server logs does not offer not_offered.',
      ]);
      expect(registry.toolsFor(investigator).map((t) => t.name)).toEqual(
        expect.arrayContaining(['logs_search_logs', 'logs_flood', 'logs_broken']),
      );
      expect(registry.toolsFor(commander).map((t) => t.name)).not.toContain('logs_search_logs');
      // A model is offered the server's own schema.
      const spec = toolSpecs(logAnalyst, registry).find((s) => s.name === 'logs_search_logs');
      expect(spec?.schema).toMatchObject({ type: 'object', required: ['query'] });

      const ctx = testToolContext();
      const found = await registry.invoke(
        { name: 'logs_search_logs', input: { query: 'timeout' }, toolUseId: 't1', role: investigator },
        ctx,
      );
      expect(found.status).toBe('success');
      expect(found.text).toContain('3 lines match timeout');
      expect(found.text).not.toContain('hunter2');
      expect(calls).toContainEqual({ query: 'timeout' });

      const invalid = await registry.invoke(
        { name: 'logs_search_logs', input: { limit: 5 }, toolUseId: 't2', role: investigator },
        ctx,
      );
      expect(invalid.status).toBe('error');
      expect(invalid.text).toMatch(/query/);

      const flood = await registry.invoke(
        { name: 'logs_flood', input: {}, toolUseId: 't3', role: investigator },
        ctx,
      );
      expect(flood.text.length).toBeLessThan(2_500);
      const broken = await registry.invoke(
        { name: 'logs_broken', input: {}, toolUseId: 't4', role: investigator },
        ctx,
      );
      expect(broken).toMatchObject({ status: 'error', text: 'index unavailable' });

      const refused = await registry.invoke(
        { name: 'logs_search_logs', input: { query: 'x' }, toolUseId: 't5', role: commander },
        ctx,
      );
      expect(refused.status).toBe('refused');
      const notAllowed = await registry.invoke(
        { name: 'logs_delete_index', input: {}, toolUseId: 't6', role: investigator },
        ctx,
      );
      expect(notAllowed.status).toBe('refused');
      expect(calls).not.toContain('delete_index');
    } finally {
      await mcp.close();
    }
  });

  it('names binary content instead of passing it on', async () => {
    const mcp = await mcpToolsets([config()]);
    try {
      const registry = await ToolRegistry.create(mcp.toolsets, { outputBudget: 600_000 });
      const flood = await registry.invoke(
        { name: 'logs_flood', input: {}, toolUseId: 't1', role: investigator },
        testToolContext(),
      );
      expect(flood.text).toContain('[image content omitted]');
      expect(flood.text).not.toContain(Buffer.from('png').toString('base64'));
    } finally {
      await mcp.close();
    }
  });

  it('starts the agent without an unreachable server and says why', async () => {
    const agent = await createAgent({
      cluster: noCluster,
      provider: 'offline',
      mcpServers: [config({ name: 'gone', url: 'http://127.0.0.1:9/mcp' })],
    });
    try {
      const status = agent.toolsets.find((t) => t.name === 'mcp/gone');
      expect(status).toMatchObject({ status: 'failed', tools: [] });
      expect(status?.reason).toMatch(/^cannot reach the MCP server: /);
    } finally {
      await agent.close();
    }
  });

  it('sends headers from the environment variables the configuration names, and fails without them', async () => {
    const seen: (string | undefined)[] = [];
    server.prependListener('request', (req: http.IncomingMessage) => seen.push(req.headers.authorization));
    const env = { LOGS_MCP_AUTHORIZATION: 'Bearer from-env' };
    const mcp = await mcpToolsets([config({ headerEnv: { Authorization: 'LOGS_MCP_AUTHORIZATION' } })], {
      env,
    });
    await mcp.close();
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['Bearer from-env']));
    const missing = await mcpToolsets([config({ headerEnv: { Authorization: 'UNSET_VARIABLE' } })], {
      env: {},
    });
    const registry = await ToolRegistry.create(missing.toolsets);
    expect(registry.statuses[0]).toMatchObject({
      status: 'failed',
      reason: 'cannot reach the MCP server: UNSET_VARIABLE (the Authorization header) is not set',
    });
  });

  it('refuses a configuration that names neither or both transports', async () => {
    await expect(mcpToolsets([{ name: 'x', allow: ['a'] }])).rejects.toThrow(/either url/);
    await expect(mcpToolsets([{ name: 'x', url, command: 'node', allow: ['a'] }])).rejects.toThrow(
      /either url/,
    );
  });
});
