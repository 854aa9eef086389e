// Foxhound as an MCP server, driven by the MCP SDK's own client over real HTTP against a real
// gateway (real store, fake manager and executor at the network edge): the tools a role sees and
// may call, an investigation with progress notifications and its report, search, actions, and the
// refusals (no credentials, a role without the permission, sessions).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { makeEvent } from '@foxhound/contracts';
import { createStore, type Store } from '@foxhound/store';
import { type Harness, startHarness } from '../__fixtures__/harness';
import { result, thought } from '../__fixtures__/fakes';

let store: Store;
let h: Harness;
const clients: Client[] = [];

beforeAll(async () => {
  store = await createStore({});
  h = await startHarness(store, { GATEWAY_RATE_LIMIT_PER_MINUTE: '10000' });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await h.close();
  await store.close();
});

async function connect(key: string | undefined): Promise<Client> {
  const client = new Client({ name: 'foxhound-mcp-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), {
    requestInit: { headers: key ? { 'x-api-key': key } : {} },
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const textOf = (res: Awaited<ReturnType<Client['callTool']>>): string =>
  (res.content as { type: string; text: string }[]).map((c) => c.text).join('\n');

describe('MCP server on the gateway', () => {
  it('lists its tools, and offers no way to approve a change', async () => {
    const client = await connect(h.keys.viewer);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'get_investigation',
      'investigate',
      'list_actions',
      'list_investigations',
    ]);
    expect(tools.find((t) => t.name === 'get_investigation')?.annotations?.readOnlyHint).toBe(true);
  });

  it('investigates, streams progress notifications, and answers with the report', async () => {
    h.executor.script({
      before: (t) => [
        thought('reading the deployment', t),
        makeEvent(
          'tool_start',
          { name: 'kubectl_describe', tool_use_id: 'tu-1', input: {}, summary: 'Describing shop/checkout' },
          t,
        ),
        makeEvent(
          'tool_end',
          {
            name: 'kubectl_describe',
            tool_use_id: 'tu-1',
            success: true,
            status: 'success',
            summary: 'ok',
            output: 'x',
          },
          t,
        ),
        result('checkout is missing CHECKOUT_DB_URL', t),
      ],
    });
    const client = await connect(h.keys.investigator);
    const progress: string[] = [];
    const res = await client.callTool(
      { name: 'investigate', arguments: { prompt: 'checkout returns 500s', namespaces: ['shop'] } },
      undefined,
      { onprogress: (p) => void progress.push(p.message ?? '') },
    );
    expect(res.isError).toBeFalsy();
    const body = JSON.parse(textOf(res)) as { investigationId: string; status: string };
    expect(body.status).toBe('completed');
    expect(progress).toEqual(['Describing shop/checkout', 'Report ready']);
    const stored = await store.investigations.get(body.investigationId);
    expect(stored).toMatchObject({ status: 'completed', principal: expect.stringMatching(/^key:/) });
    // The executor was asked exactly as for a REST investigation.
    expect(h.executor.requests.at(-1)?.body).toMatchObject({ prompt: 'checkout returns 500s' });

    const got = await client.callTool({ name: 'get_investigation', arguments: { id: body.investigationId } });
    expect(JSON.parse(textOf(got))).toMatchObject({
      id: body.investigationId,
      prompt: 'checkout returns 500s',
    });
    const found = await client.callTool({
      name: 'list_investigations',
      arguments: { q: 'CHECKOUT returns' },
    });
    expect((JSON.parse(textOf(found)) as { items: { id: string }[] }).items.map((i) => i.id)).toContain(
      body.investigationId,
    );
  });

  it("answers with the caller's permissions: a viewer reads but may not start an investigation", async () => {
    const client = await connect(h.keys.viewer);
    const before = h.executor.requests.length;
    const res = await client.callTool({ name: 'investigate', arguments: { prompt: 'is checkout healthy?' } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toBe(
      "This needs the investigations:write permission (role investigator or admin); the caller's role is viewer.",
    );
    expect(h.executor.requests.length).toBe(before);
    const actions = await client.callTool({ name: 'list_actions', arguments: { state: 'proposed' } });
    expect(JSON.parse(textOf(actions))).toEqual({ items: [] });
  });

  it('refuses a caller without credentials, and a bad argument names the field', async () => {
    await expect(connect(undefined)).rejects.toThrow(
      /Missing credentials: send X-API-Key or Authorization: Bearer/,
    );
    const client = await connect(h.keys.viewer);
    const res = await client.callTool({ name: 'get_investigation', arguments: { id: '../etc/passwd' } });
    expect(res.isError).toBe(true);
    expect(textOf(res)).toMatch(/id/);
  });

  it('is stateless: GET and DELETE answer 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${h.url}/mcp`, { method, headers: { 'x-api-key': h.keys.viewer } });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });
});
