// Several gateway replicas on one PostgreSQL. Every statement that stores events notifies the channel
// `foxhound_events` once per investigation it touched (payload `<schema> <investigation id> <last seq>`),
// so a replica tailing an investigation that another replica runs reads the store when something
// arrived instead of polling it. Rate limits are kept per key as GCRA's theoretical arrival time, and
// concurrency slots as rows with a heartbeat, so every replica counts against the same limits.
import { type Migration } from './migration';

export const replicas: Migration = {
  version: 3,
  name: 'replicas',
  sql: `
CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Delivered at commit, in commit order; a rolled-back insert notifies nobody.
  PERFORM pg_notify('foxhound_events', TG_TABLE_SCHEMA || ' ' || investigation_id || ' ' || max(seq))
    FROM inserted GROUP BY investigation_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_notify AFTER INSERT ON events REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION events_notify();

-- Theoretical arrival time in ms since the epoch, by the database's clock (one clock for all replicas).
CREATE TABLE rate_limits (
  key text PRIMARY KEY,
  tat double precision NOT NULL
);
CREATE INDEX rate_limits_tat_idx ON rate_limits (tat);

CREATE TABLE run_slots (
  id text PRIMARY KEY,
  pool text NOT NULL,
  runner_id text NOT NULL,
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX run_slots_pool_idx ON run_slots (pool, heartbeat_at);
`,
};
