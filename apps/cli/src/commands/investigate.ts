// foxhound investigate "prompt" [-n ns]... [--thread T]: starts a turn and prints its stream as it
// arrives, then the report; foxhound follow ID prints a stored investigation's events (replay) and
// keeps going live until it ends.
import { usageError } from '../errors';
import { finish, printStream } from '../follow/investigation';
import { type Context } from '../context';

const MAX_PROMPT_CHARS = 32_000;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export async function investigate(
  ctx: Context,
  prompt: string,
  options: { namespace?: string[]; thread?: string },
): Promise<number> {
  const text = prompt.trim();
  if (!text) throw usageError('the prompt is empty');
  if (text.length > MAX_PROMPT_CHARS) throw usageError(`the prompt is longer than ${MAX_PROMPT_CHARS} characters`);
  const namespaces = options.namespace ?? [];
  for (const ns of namespaces)
    if (!NAMESPACE.test(ns) || ns.length > 63) throw usageError(`-n ${ns.slice(0, 80)} is not a namespace name`);
  const client = ctx.client();
  ctx.ui.spinner.set('starting the investigation');
  const stream = await client.investigate({
    prompt: text,
    ...(namespaces.length ? { namespaces } : {}),
    ...(options.thread ? { thread_id: options.thread } : {}),
  });
  return finish(ctx.ui, await printStream(client, ctx.ui, stream));
}

export async function follow(ctx: Context, id: string): Promise<number> {
  const client = ctx.client();
  ctx.ui.spinner.set(`opening investigation ${id}`);
  const stream = await client.events(id);
  return finish(ctx.ui, await printStream(client, ctx.ui, stream, { investigationId: id }));
}
