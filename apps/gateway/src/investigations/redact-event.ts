// Redaction of what a turn sends to the store (and to its clients): every event through the
// service-kit redactor before it is numbered, persisted or published. A proposal keeps the fields an
// approval executes exactly as proposed (its action, the target's version, the rollback plan with its
// pre-image), because a redacted action would apply a different change; its prose (summary, evidence,
// expected effect) is redacted like everything else.
import { type Proposal, type StreamEvent } from '@foxhound/contracts';
import { type Redactor } from '@foxhound/service-kit';

export function redactProposal(proposal: Proposal, redactor: Redactor): Proposal {
  const { id, action, target, rollback, rollbackOf, ...prose } = proposal;
  return { ...redactor.value(prose), id, action, target, rollback, rollbackOf } as Proposal;
}

export function redactEvent(event: StreamEvent, redactor: Redactor): StreamEvent {
  if (event.type !== 'proposal') return redactor.value(event);
  return { ...event, data: redactProposal(event.data, redactor) };
}
