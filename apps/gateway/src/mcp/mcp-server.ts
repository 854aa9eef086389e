// Foxhound as an MCP server for other agents: the investigations API as MCP tools, built per request
// for the principal the gateway authenticated, so every tool answers with exactly that caller's
// permissions (the same role table as the REST routes). Starting an investigation streams its
// progress as MCP progress notifications when the client asked for them, and answers with the
// report. Deciding on actions is not offered: approving a change to the cluster stays a human act
// in the console, the CLI or the REST API.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  ActionListQuerySchema,
  InvestigationListQuerySchema,
  type InvestigationDetail,
  isTerminalEvent,
  NamespaceSchema,
  ProposalStateSchema,
  type StoredEvent,
  ThreadIdSchema,
} from '@foxhound/contracts';
import { can, type Permission, type Principal, rolesWith } from '../auth/principal';
import { type ProposalsPort } from '../investigations/ports';
import { type RouteDeps } from '../routes/deps';

/** How long `investigate` waits for the turn before answering with its id and status instead. */
const DEFAULT_WAIT_SECONDS = 240;
const MAX_WAIT_SECONDS = 900;
/** How long, after the terminal event, the store gets to record the outcome (100 checks 50 ms apart). */
const SETTLE_CHECKS = 100;
const SETTLE_INTERVAL_MS = 50;
/** Bound on one tool answer's text, so a large report cannot flood the calling model. */
const MAX_ANSWER_CHARS = 60_000;

export interface McpDeps extends RouteDeps {
  proposals: ProposalsPort;
  version: string;
}

export function buildMcpServer(principal: Principal, deps: McpDeps, requestId: string): McpServer {
  const server = new McpServer(
    { name: 'foxhound', version: deps.version },
    {
      instructions:
        'Foxhound investigates Kubernetes incidents in an isolated sandbox with read-only access and proposes reversible fixes that a human approves. Start with `investigate`; read past work with `list_investigations` and `get_investigation`; `list_actions` shows proposed fixes and their state.',
    },
  );

  server.registerTool(
    'investigate',
    {
      title: 'Investigate an incident',
      description:
        'Start an investigation of a question or symptom in the cluster and wait for its report (root cause, evidence, proposed fixes). Progress is sent as notifications when the call carries a progressToken. Pass threadId to ask a follow-up on an earlier investigation.',
      inputSchema: {
        prompt: z.string().min(1).max(20_000).describe('What is wrong, or the question to answer.'),
        namespaces: z.array(NamespaceSchema).max(50).optional().describe('Namespaces in scope.'),
        threadId: ThreadIdSchema.optional().describe('An earlier investigation thread to follow up on.'),
        waitSeconds: z
          .number()
          .int()
          .min(0)
          .max(MAX_WAIT_SECONDS)
          .optional()
          .describe(`How long to wait for the report (default ${DEFAULT_WAIT_SECONDS}); 0 returns at once.`),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async (args, extra) => {
      const denied = refuse(principal, 'investigations:write');
      if (denied) return denied;
      const started = await deps.runner.start({
        prompt: args.prompt,
        threadId: args.threadId,
        namespaces: args.namespaces,
        source: 'api',
        principal,
        requestId,
      });
      const { investigation } = started;
      const progressToken = extra._meta?.progressToken;
      let progress = 0;
      const finished = await waitForEnd(
        deps,
        investigation.id,
        (args.waitSeconds ?? DEFAULT_WAIT_SECONDS) * 1000,
        extra.signal,
        (event) => {
          if (progressToken === undefined) return;
          const message = progressLine(event);
          if (message)
            void extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress: ++progress, message },
            });
        },
      );
      const detail = finished
        ? await settled(deps, investigation.id)
        : await deps.investigations.get(investigation.id);
      return answer({
        investigationId: investigation.id,
        threadId: investigation.threadId,
        status: detail?.status ?? 'running',
        ...(finished ? {} : { note: 'Still running: call get_investigation with this id for the report.' }),
        ...(detail?.report ? { report: detail.report } : {}),
        ...(detail?.error ? { error: detail.error } : {}),
      });
    },
  );

  server.registerTool(
    'get_investigation',
    {
      title: 'Get an investigation',
      description:
        'One investigation: its status, prompt, report (root cause, evidence, proposals) or error.',
      inputSchema: { id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/) },
      annotations: { readOnlyHint: true },
    },
    async ({ id }) => {
      const denied = refuse(principal, 'investigations:read');
      if (denied) return denied;
      const detail = await deps.investigations.get(id);
      if (!detail) return failure(`No investigation ${id}.`);
      return answer(detail);
    },
  );

  server.registerTool(
    'list_investigations',
    {
      title: 'List or search investigations',
      description:
        'Investigations, newest first, filtered by status and by text in the title or root cause (q): use q to find similar past incidents.',
      inputSchema: {
        status: InvestigationListQuerySchema.shape.status,
        q: InvestigationListQuerySchema.shape.q,
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().max(500).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const denied = refuse(principal, 'investigations:read');
      if (denied) return denied;
      const page = await deps.investigations.list(InvestigationListQuerySchema.parse(args));
      return answer(page);
    },
  );

  server.registerTool(
    'list_actions',
    {
      title: 'List proposed actions',
      description:
        'Fixes investigations proposed, with their state (proposed, approved, applying, applied, recovered, failed, rejected, rolled back). Approving is done by a human outside MCP.',
      inputSchema: {
        state: ProposalStateSchema.optional(),
        investigationId: z.string().max(128).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      const denied = refuse(principal, 'actions:read');
      if (denied) return denied;
      return answer({ items: await deps.proposals.list(ActionListQuerySchema.parse(args)) });
    },
  );

  return server;
}

/** Resolves true at the turn's terminal event, false when the wait or the caller gives up first. */
function waitForEnd(
  deps: McpDeps,
  investigationId: string,
  waitMs: number,
  signal: AbortSignal,
  onEvent: (event: StoredEvent) => void,
): Promise<boolean> {
  return new Promise((resolve) => {
    let ended = false;
    const done = (finished: boolean) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      // Deferred: `done` can run inside subscribe(), before it has returned the unsubscriber.
      queueMicrotask(() => unsubscribe?.());
      resolve(finished);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(false), waitMs);
    signal.addEventListener('abort', onAbort, { once: true });
    const unsubscribe = deps.hub.subscribe(investigationId, 0, {
      onEvent: (event) => {
        onEvent(event);
        if (isTerminalEvent(event.event)) done(true);
      },
      onEnd: () => done(true),
    });
    // Not live in this replica any more: it ended before the subscription (or runs elsewhere).
    if (!unsubscribe) done(true);
  });
}

/**
 * The stored investigation once its outcome is recorded: the terminal event reaches the live hub a
 * moment before the store has the outcome, so this waits (bounded) for the status to leave running.
 */
async function settled(deps: McpDeps, id: string): Promise<InvestigationDetail | null> {
  for (let i = 0; ; i++) {
    const detail = await deps.investigations.get(id);
    if (!detail || detail.status !== 'running' || i >= SETTLE_CHECKS) return detail;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_INTERVAL_MS));
  }
}

/** One line per event worth showing a caller waiting on the turn. */
function progressLine(stored: StoredEvent): string | undefined {
  const event = stored.event;
  switch (event.type) {
    case 'tool_start':
      return event.data.summary ?? `Calling ${event.data.name}`;
    case 'finding':
      return `Finding: ${event.data.symptom}`;
    case 'proposal':
      return `Proposed: ${event.data.summary}`;
    case 'result':
      return 'Report ready';
    case 'error':
      return `Failed: ${event.data.message}`;
    default:
      return undefined;
  }
}

function refuse(principal: Principal, permission: Permission): CallToolResult | undefined {
  if (can(principal, permission)) return undefined;
  return failure(
    `This needs the ${permission} permission (role ${rolesWith(permission).join(' or ')}); the caller's role is ${principal.role}.`,
  );
}

function answer(value: unknown): CallToolResult {
  const text = JSON.stringify(value, null, 2);
  return {
    content: [
      {
        type: 'text',
        text:
          text.length > MAX_ANSWER_CHARS
            ? `${text.slice(0, MAX_ANSWER_CHARS)}\n… (cut at ${MAX_ANSWER_CHARS} characters)`
            : text,
      },
    ],
  };
}

function failure(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
