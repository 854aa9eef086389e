// foxhound list and foxhound show ID: the stored investigations, newest first, one line each; and one
// investigation with its report.
import { type InvestigationStatus } from '@foxhound/contracts';
import { usageError } from '../errors';
import { EXIT } from '../exit-codes';
import { printable } from '../render/printable';
import { renderReport } from '../render/stream';
import { age, cut, table } from '../render/table';
import { type Context } from '../context';

const STATUSES: InvestigationStatus[] = ['running', 'completed', 'failed', 'interrupted'];

export async function list(ctx: Context, options: { status?: string; limit?: string; cursor?: string }): Promise<number> {
  if (options.status && !STATUSES.includes(options.status as InvestigationStatus))
    throw usageError(`--status must be one of ${STATUSES.join(', ')}`);
  const limit = options.limit ?? '20';
  if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 100) throw usageError('--limit must be 1 to 100');
  const page = await ctx.client().listInvestigations({ status: options.status, limit, cursor: options.cursor });
  ctx.ui.emit(page);
  const s = ctx.ui.style;
  const colourOf = (status: string) =>
    status === 'completed' ? s.green(status) : status === 'running' ? s.cyan(status) : s.red(status);
  const rows = printable(page.items).map((i) => [
    i.id,
    colourOf(i.status),
    age(i.createdAt),
    i.principal ?? '-',
    cut(i.title, 50),
    cut(i.rootCause ?? (i.status === 'running' ? '…' : '-'), 80),
  ]);
  if (rows.length === 0) ctx.ui.say('no investigations');
  for (const line of table([['ID', 'STATUS', 'AGE', 'WHO', 'TITLE', 'CAUSE'], ...rows])) ctx.ui.say(line);
  if (page.nextCursor) ctx.ui.say(s.dim(`more: foxhound list --cursor ${page.nextCursor}`));
  return EXIT.ok;
}

export async function show(ctx: Context, id: string): Promise<number> {
  const raw = await ctx.client().getInvestigation(id);
  ctx.ui.emit(raw);
  const d = printable(raw);
  const s = ctx.ui.style;
  ctx.ui.say(`${s.bold(d.title)}`);
  ctx.ui.say(`  id ${d.id}  thread ${d.threadId}  status ${d.status}  by ${d.principal ?? '-'}  ${age(d.createdAt)} ago`);
  if (d.provider) ctx.ui.say(s.dim(`  engine ${d.provider}${d.model ? ` ${d.model}` : ''}, ${((d.durationMs ?? 0) / 1000).toFixed(2)} s`));
  if (d.error) ctx.ui.say(s.red(`  error: ${d.error.message}`));
  if (d.report) for (const line of renderReport(d.report, s)) ctx.ui.say(line);
  else if (d.status === 'running') ctx.ui.say(s.dim(`  still running: foxhound follow ${d.id}`));
  return EXIT.ok;
}
