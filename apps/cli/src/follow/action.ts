// Follows an action's lifecycle (proposed → approved → applying → applied → recovered, or rejected,
// expired, failed) by polling GET /v1/actions/:id, printing each transition once, until it reaches a
// state that ends it or the deadline passes. The gateway's action events are per investigation; one
// small GET a second is the simplest bounded way to watch one action.
import { type ProposalState, type StoredProposal } from '@foxhound/contracts';
import { type GatewayClient } from '../client/gateway';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { type Ui } from '../ui';

/** States after which nothing more happens to an action without a new human decision. */
export const END_STATES: readonly ProposalState[] = ['recovered', 'rejected', 'expired', 'failed'];

export async function followAction(
  client: GatewayClient,
  ui: Ui,
  id: string,
  options: { until: readonly ProposalState[]; deadlineMs: number; pollMs?: number },
): Promise<StoredProposal> {
  const started = Date.now();
  let shown = 0;
  for (;;) {
    const action = await client.getAction(id);
    for (const step of action.history.slice(shown)) {
      const at = ui.style.dim(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`);
      const state =
        step.to === 'recovered' || step.to === 'applied'
          ? ui.style.green(step.to)
          : step.to === 'failed' || step.to === 'rejected' || step.to === 'expired'
            ? ui.style.red(step.to)
            : step.to;
      ui.say(`${at} ${state}  ${ui.style.dim(`by ${step.actor}${step.reason ? `: ${step.reason}` : ''}`)}`);
      if (ui.json) ui.emit({ type: 'transition', action: id, ...step });
    }
    shown = action.history.length;
    if (options.until.includes(action.state)) {
      ui.spinner.stop();
      return action;
    }
    if (Date.now() - started > options.deadlineMs) {
      ui.spinner.stop();
      throw new CliError(
        `action ${id} is still ${action.state} after ${Math.round(options.deadlineMs / 1000)} s; see foxhound actions`,
        EXIT.failed,
      );
    }
    ui.spinner.set(`${action.state}; waiting for the next step`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}
