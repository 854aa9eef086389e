// Puts `action_update` events on an investigation's stream. While the investigation runs here they
// go through its live relay; afterwards they are appended to its stored log (after its result), so
// a replay shows every state an action went through. Appends to one investigation are serialised.
import { makeEvent, type ProposalState, type StreamEvent } from '@foxhound/contracts';
import { type Logger } from '@foxhound/service-kit';
import { type LiveHub } from '../investigations/live-hub';
import { type EventsPort } from '../investigations/ports';

export interface ActionUpdate {
  investigationId: string;
  threadId: string;
  proposalId: string;
  state: ProposalState;
  actor?: string;
  reason?: string;
  evidence?: string[];
}

/** Emits an event on a running investigation's live stream; false when it is not running here. */
export type LiveEmitter = (investigationId: string, event: StreamEvent) => boolean;

export class ActionEventLog {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly events: EventsPort,
    private readonly hub: LiveHub,
    private readonly emitLive: LiveEmitter,
    private readonly logger: Logger,
  ) {}

  append(update: ActionUpdate): Promise<void> {
    const event = makeEvent(
      'action_update',
      {
        proposal_id: update.proposalId,
        state: update.state,
        ...(update.actor ? { actor: update.actor } : {}),
        ...(update.reason ? { reason: update.reason } : {}),
        ...(update.evidence?.length ? { evidence: update.evidence } : {}),
      },
      update.threadId,
    );
    const previous = this.chains.get(update.investigationId) ?? Promise.resolve();
    const next = previous
      .then(() => this.write(update.investigationId, event))
      .catch((err: unknown) =>
        this.logger.error(
          { err, proposalId: update.proposalId },
          'could not record an action update on its investigation',
        ),
      );
    this.chains.set(update.investigationId, next);
    void next.finally(() => {
      if (this.chains.get(update.investigationId) === next) this.chains.delete(update.investigationId);
    });
    return next;
  }

  private async write(investigationId: string, event: StreamEvent): Promise<void> {
    if (this.emitLive(investigationId, event)) return;
    const writer = await this.events.writer(investigationId);
    try {
      const seq = writer.append(event);
      // Followers of a finished investigation read the store; nothing is live to publish to.
      this.hub.publish(investigationId, { seq, event });
    } finally {
      await writer.close();
    }
  }
}
