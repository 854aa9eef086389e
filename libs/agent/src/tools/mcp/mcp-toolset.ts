// MCP servers as toolsets: an operator names servers (Streamable HTTP, or a stdio command shipped in
// the image) and, for each, the tools the agent may use (an allow-list: nothing else a server offers
// is ever shown to a model) and the roles that get them (the investigator by default). Each allowed
// tool joins the registry as `<server>_<tool>`, so it runs with the registry's validation, output
// budget, redaction, refusals and tool_start/tool_end like any built-in tool. A server that cannot
// be reached at start-up leaves its toolset failed, with the reason, and the agent starts without it.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type RoleId } from '../../roles/types';
import { defineTool, failed, noData, ok, type AnyTool } from '../define';
import { type Toolset } from '../registry';

const NAME = /^[a-z][a-z0-9_]{0,30}$/;

export const McpServerConfigSchema = z
  .object({
    /** Prefix of its tools' names: `<name>_<tool>`. */
    name: z.string().regex(NAME, 'expected a short snake_case name'),
    url: z.url({ protocol: /^https?$/ }).optional(),
    command: z.string().min(1).max(500).optional(),
    args: z.array(z.string().max(1000)).max(50).optional(),
    /**
     * Headers sent with every HTTP request, each named by the environment variable that holds its
     * value ({"Authorization": "LOGS_MCP_AUTHORIZATION"}), so the configuration carries no secret.
     */
    headerEnv: z
      .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().regex(/^[A-Z_][A-Z0-9_]{0,127}$/))
      .optional(),
    /** The server's tool names the agent may use. */
    allow: z.array(z.string().min(1).max(64)).min(1).max(50),
    roles: z
      .array(z.enum(['commander', 'investigator', 'log_analyst', 'remediator']))
      .min(1)
      .default(['investigator']),
    /** One call's bound. */
    timeoutSeconds: z.number().int().min(1).max(300).default(30),
  })
  .refine((c) => (c.url === undefined) !== (c.command === undefined), {
    message: 'give either url (Streamable HTTP) or command (stdio), not both',
  });
export type McpServerConfig = z.input<typeof McpServerConfigSchema>;

export interface McpToolsets {
  toolsets: Toolset[];
  /** Closes every connection (and ends stdio servers). */
  close(): Promise<void>;
}

/** Connects to each server (concurrently, each bounded) and builds its toolset. */
export async function mcpToolsets(
  configs: McpServerConfig[],
  options: { connectTimeoutMs?: number; clientVersion?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<McpToolsets> {
  const env = options.env ?? process.env;
  const clients: Client[] = [];
  const toolsets = await Promise.all(
    configs.map(async (input): Promise<Toolset> => {
      const config = McpServerConfigSchema.parse(input);
      const base = {
        name: `mcp/${config.name}`,
        description: `Tools of the MCP server ${config.name} (${config.url ?? config.command}).`,
        grants: config.roles as RoleId[],
      };
      const client = new Client({ name: 'foxhound', version: options.clientVersion ?? '0' });
      try {
        await client.connect(transportFor(config, env), { timeout: options.connectTimeoutMs ?? 10_000 });
        clients.push(client);
        const { tools } = await client.listTools(undefined, { timeout: options.connectTimeoutMs ?? 10_000 });
        const offered = new Map(tools.map((t) => [t.name, t]));
        const missing = config.allow.filter((name) => !offered.has(name));
        return {
          ...base,
          tools: config.allow.flatMap((name) => {
            const tool = offered.get(name);
            return tool ? [remoteTool(config.name, tool, client, config.timeoutSeconds ?? 30)] : [];
          }),
          ...(missing.length > 0
            ? { instructions: `The MCP server ${config.name} does not offer ${missing.join(', ')}.` }
            : {}),
        };
      } catch (err) {
        await client.close().catch(() => undefined);
        const why = err instanceof Error ? err.message : String(err);
        return {
          ...base,
          tools: [],
          prerequisite: () => Promise.reject(new Error(`cannot reach the MCP server: ${why}`)),
        };
      }
    }),
  );
  return {
    toolsets,
    close: async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    },
  };
}

function transportFor(config: z.infer<typeof McpServerConfigSchema>, env: NodeJS.ProcessEnv): Transport {
  if (config.url) {
    const headers: Record<string, string> = {};
    for (const [header, variable] of Object.entries(config.headerEnv ?? {})) {
      const value = env[variable];
      if (!value) throw new Error(`${variable} (the ${header} header) is not set`);
      headers[header] = value;
    }
    return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers } });
  }
  // Only what the server needs from the environment: never the executor's own secrets.
  return new StdioClientTransport({
    command: config.command!,
    args: config.args ?? [],
    env: { PATH: env.PATH ?? '/usr/bin:/bin' },
    stderr: 'ignore',
  });
}

function remoteTool(server: string, tool: Tool, client: Client, timeoutSeconds: number): AnyTool {
  const name = `${server}_${tool.name.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`.slice(0, 64);
  return defineTool({
    name,
    description: `(MCP server ${server}) ${tool.description ?? tool.title ?? tool.name}`.slice(0, 2000),
    params: paramsOf(tool),
    summary: () => `Calling ${tool.name} on the MCP server ${server}`,
    async run(params, ctx) {
      const result = (await client.callTool({ name: tool.name, arguments: params }, undefined, {
        signal: ctx.signal,
        timeout: timeoutSeconds * 1000,
      })) as CallToolResult;
      const text = textOf(result);
      if (result.isError) return failed(text || `${tool.name} failed on ${server} without saying why.`);
      return text
        ? ok(text, `${tool.name} on ${server} answered`)
        : noData('(no text in the answer)', `${tool.name} on ${server}: nothing`);
    },
  });
}

/** The server's input schema as zod, so the registry validates calls before they leave; objects only. */
function paramsOf(tool: Tool): z.ZodObject {
  const schema = z.fromJSONSchema(tool.inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
  return schema instanceof z.ZodObject ? schema : z.object({});
}

/** Text parts as they are; anything else is named, not passed on (a model gets no binary). */
function textOf(result: CallToolResult): string {
  return (result.content ?? [])
    .map((part) => (part.type === 'text' ? part.text : `[${part.type} content omitted]`))
    .join('\n')
    .trim();
}
