// The MCP endpoint: Streamable HTTP at /mcp, stateless (a server and transport per POST, so any
// gateway replica answers any request), behind the gateway's own authentication, rate limits and
// audit like every other route. GET (a standalone notification stream) and DELETE (ending a
// session) have no meaning without sessions and answer 405, as the transport specification allows.
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { type Express, type Response } from 'express';
import { principalOf } from '../auth/authenticate';
import { jsonInput } from '../input/storable';
import { buildMcpServer, type McpDeps } from './mcp-server';

export const MCP_PATH = '/mcp';

export function mcpRoutes(app: Express, deps: McpDeps): void {
  app.post(MCP_PATH, jsonInput(), async (req, res) => {
    const server = buildMcpServer(principalOf(res), deps, String(res.locals.requestId ?? ''));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  const notAllowed = (_req: unknown, res: Response) => {
    res
      .status(405)
      .set('allow', 'POST')
      .json({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed: this server is stateless; POST only.' },
        id: null,
      });
  };
  app.get(MCP_PATH, notAllowed);
  app.delete(MCP_PATH, notAllowed);
}
