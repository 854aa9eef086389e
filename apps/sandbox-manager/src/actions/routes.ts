// The remediation API the gateway calls (contracts/remediation.ts): validate an action (checks and
// a dry run), execute an approved one (202, idempotent per proposal), and read an execution. With
// ACTIONS_ENABLED=false every route answers 403, so a read-only install cannot write.
import express, { type Router } from 'express';
import { ExecuteActionRequestSchema, ValidateActionRequestSchema } from '@foxhound/contracts';
import { InputError, jsonBody, NotAllowedError, NotFoundError, parseInput } from '@foxhound/service-kit';
import { type ActionExecutor } from './executor';

const PROPOSAL_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** A RestoreObject carries its target's pre-image, up to 256 KiB of JSON (PreImageSchema). */
const BODY_LIMIT = '320kb';

export function actionRoutes(executor: ActionExecutor | undefined): Router {
  const router = express.Router();

  router.use('/v1/actions', (_req, _res, next) => {
    if (!executor) throw new NotAllowedError('Remediation actions are disabled (ACTIONS_ENABLED=false).');
    next();
  });

  router.post('/v1/actions/validate', jsonBody({ limit: BODY_LIMIT }), async (req, res) => {
    res.json(await executor!.validate(parseInput(ValidateActionRequestSchema, req.body)));
  });

  router.post('/v1/actions/executions', jsonBody({ limit: BODY_LIMIT }), async (req, res) => {
    res.status(202).json(await executor!.execute(parseInput(ExecuteActionRequestSchema, req.body)));
  });

  router.get('/v1/actions/executions/:proposalId', async (req, res) => {
    const id = req.params.proposalId;
    if (typeof id !== 'string' || !PROPOSAL_ID.test(id))
      throw new InputError('Invalid proposal id: 1-128 letters, digits, ".", "_", ":" or "-".');
    const execution = await executor!.get(id);
    if (!execution) throw new NotFoundError(`No execution for proposal ${id}.`);
    res.json(execution);
  });

  return router;
}
