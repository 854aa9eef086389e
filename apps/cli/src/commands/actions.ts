// foxhound actions [--pending], approve, reject and rollback. A decision is followed to where it
// ends (approve: until the cluster recovered, or the action failed or expired), with each transition
// printed as it happens; rollback records the inverse action, which then waits for its own approval.
import { type ProposalState, type StoredProposal } from '@foxhound/contracts';
import { type Decision } from '../client/gateway';
import { CliError, usageError } from '../errors';
import { EXIT } from '../exit-codes';
import { END_STATES, followAction } from '../follow/action';
import { printable } from '../render/printable';
import { age, cut, table } from '../render/table';
import { type Context } from '../context';

const ACTION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export async function actions(ctx: Context, options: { pending?: boolean; investigation?: string; limit?: string }): Promise<number> {
  const limit = options.limit ?? '100';
  if (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 500) throw usageError('--limit must be 1 to 500');
  const items = await ctx.client().listActions({
    ...(options.pending ? { state: 'proposed' } : {}),
    investigationId: options.investigation,
    limit,
  });
  ctx.ui.emit({ items });
  const s = ctx.ui.style;
  const rows = printable(items).map((a) => [
    a.proposal.id,
    stateColour(ctx, a.state),
    a.proposal.action.type,
    `${a.proposal.action.namespace}/${a.proposal.action.name}`,
    a.proposal.risk,
    age(a.createdAt),
    cut(a.proposal.summary, 80),
  ]);
  if (rows.length === 0) ctx.ui.say(options.pending ? 'no actions waiting for approval' : 'no actions');
  for (const line of table([['ID', 'STATE', 'ACTION', 'TARGET', 'RISK', 'AGE', 'SUMMARY'], ...rows])) ctx.ui.say(line);
  if (options.pending && items.length)
    ctx.ui.say(s.dim(`approve: foxhound approve ${items[0]!.proposal.id} --reason "..."`));
  return EXIT.ok;
}

function stateColour(ctx: Context, state: ProposalState): string {
  const s = ctx.ui.style;
  if (state === 'recovered' || state === 'applied') return s.green(state);
  if (state === 'failed' || state === 'rejected' || state === 'expired') return s.red(state);
  if (state === 'proposed') return s.yellow(state);
  return s.cyan(state);
}

export async function decide(
  ctx: Context,
  decision: Decision,
  id: string,
  options: { reason?: string; wait?: boolean; waitSeconds?: string; livePatchOnGitops?: boolean },
): Promise<number> {
  if (!ACTION_ID.test(id)) throw usageError(`"${id.slice(0, 80)}" is not an action id`);
  const reason = options.reason?.trim();
  if (!reason) throw usageError(`foxhound ${decision} needs --reason "why"`);
  if (reason.length > 2000) throw usageError('--reason is longer than 2000 characters');
  const waitSeconds = Number(options.waitSeconds ?? '600');
  if (!Number.isFinite(waitSeconds) || waitSeconds <= 0 || waitSeconds > 86_400)
    throw usageError('--wait-seconds must be between 1 and 86400');
  const client = ctx.client();
  const s = ctx.ui.style;
  const answer = await client
    .decide(id, decision, { reason, ...(options.livePatchOnGitops ? { livePatchOnGitOps: true as const } : {}) })
    .catch((err: unknown) => {
      // The gateway names its JSON field; say which flag that is here.
      if (err instanceof CliError && err.message.includes('livePatchOnGitOps'))
        throw new CliError(`${err.message} (foxhound approve --live-patch-on-gitops)`, err.exitCode);
      throw err;
    });
  if (decision === 'rollback') {
    const rollback = answer as StoredProposal;
    ctx.ui.emit({ type: 'rollback', action: id, rollback });
    ctx.ui.say(`${s.bold('rollback proposed')} as ${rollback.proposal.id} (${rollback.state}): ${printable(rollback.proposal.summary)}`);
    ctx.ui.say(s.dim(`  nothing changes until it is approved: foxhound approve ${rollback.proposal.id} --reason "..."`));
    return EXIT.ok;
  }
  ctx.ui.say(`${decision === 'approve' ? 'approved' : 'rejected'} ${id}; following its state`);
  const final =
    options.wait === false
      ? await client.getAction(id)
      : await followAction(client, ctx.ui, id, {
          until: decision === 'reject' ? ['rejected', ...END_STATES] : END_STATES,
          deadlineMs: waitSeconds * 1000,
        });
  ctx.ui.emit({ type: 'final', action: id, state: final.state });
  if (decision === 'reject') return final.state === 'rejected' ? EXIT.ok : EXIT.failed;
  if (options.wait === false) return EXIT.ok;
  if (final.state === 'recovered') ctx.ui.say(s.green(`${id} applied and the cluster recovered`));
  else ctx.ui.say(s.red(`${id} ended ${final.state}`));
  return final.state === 'recovered' ? EXIT.ok : EXIT.failed;
}
