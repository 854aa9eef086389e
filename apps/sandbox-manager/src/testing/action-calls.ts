// The manager's remediation API as the gateway calls it, for tests: validate, execute an approved
// action, wait for its final state; plus the exact-inverse comparison the inverse tests assert.
import {
  type ActionCheck,
  type ActionExecution,
  type EditableObject,
  type ExecutableAction,
  type ExpectedTarget,
  SERVER_MANAGED_ANNOTATIONS,
} from '@foxhound/contracts';
import { call, eventually } from './http';

let seq = 0;
export const nextProposalId = (prefix = 'p') => `${prefix}-${++seq}-${process.pid}`;

export const validate = async (url: string, action: ExecutableAction, expected?: ExpectedTarget) =>
  (await call<ActionCheck>(url, 'POST', '/v1/actions/validate', { body: { action, expected } })).body;

/** Executes an approved action and waits until the observer concluded. */
export async function executeToEnd(
  url: string,
  action: ExecutableAction,
  expected?: ExpectedTarget,
  proposalId = nextProposalId(),
): Promise<ActionExecution> {
  const started = await call<ActionExecution>(url, 'POST', '/v1/actions/executions', {
    body: { proposalId, investigationId: 'inv-inverse', action, approvedBy: 'alice', expected },
  });
  if (started.status !== 202)
    throw new Error(`execute answered ${started.status}: ${JSON.stringify(started.body)}`);
  return eventually(async () => {
    const res = await call<ActionExecution>(url, 'GET', `/v1/actions/executions/${proposalId}`);
    return res.body.final ? res.body : undefined;
  }, 30_000);
}

/**
 * An object without what the API server and controllers own: metadata.uid, resourceVersion,
 * generation, creationTimestamp, managedFields, status, and SERVER_MANAGED_ANNOTATIONS. Two objects
 * equal after this are equal in everything a user or an action writes.
 */
export function userOwned(object: EditableObject): unknown {
  const { metadata, status: _status, ...rest } = structuredClone(object);
  const {
    uid: _uid,
    resourceVersion: _rv,
    generation: _generation,
    creationTimestamp: _created,
    managedFields: _managed,
    ...kept
  } = metadata;
  const annotations = Object.fromEntries(
    Object.entries(kept.annotations ?? {}).filter(([k]) => !SERVER_MANAGED_ANNOTATIONS.includes(k)),
  );
  if (Object.keys(annotations).length) kept.annotations = annotations;
  else delete kept.annotations;
  return { ...rest, metadata: kept };
}
