// The first schema: investigations, their events, proposals with every transition, API keys, and the
// hash-chained audit log with its head row. Documents are `json` rather than `jsonb` on purpose: json
// keeps the text as written (so a log line with \u0000 is stored, not refused) and we never query
// inside them.
import { type Migration } from './migration';

const ms = `date_trunc('milliseconds', now())`;

export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
CREATE TABLE investigations (
  id text PRIMARY KEY,
  thread_id text NOT NULL,
  status text NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  source text NOT NULL,
  title text NOT NULL,
  prompt text NOT NULL,
  principal text,
  alert json,
  alert_fingerprint text,
  sandbox_id text,
  report json,
  result_text text,
  error_message text,
  error_code text,
  root_cause text,
  healthy boolean,
  findings_summary json,
  input_tokens bigint,
  output_tokens bigint,
  cache_read_tokens bigint,
  cache_creation_tokens bigint,
  cost_usd double precision,
  model_calls integer,
  provider text,
  model text,
  duration_ms double precision,
  -- Millisecond precision so a timestamp survives the round trip through a JavaScript Date (cursors).
  created_at timestamptz NOT NULL DEFAULT ${ms},
  updated_at timestamptz NOT NULL DEFAULT ${ms},
  completed_at timestamptz
);
CREATE INDEX investigations_created_idx ON investigations (created_at DESC, id DESC);
CREATE INDEX investigations_thread_idx ON investigations (thread_id, created_at DESC);
CREATE INDEX investigations_status_idx ON investigations (status, created_at DESC);
-- At most one open investigation per alert fingerprint: concurrent duplicate alerts cannot both start one.
CREATE UNIQUE INDEX investigations_open_fingerprint_idx ON investigations (alert_fingerprint)
  WHERE status = 'running' AND alert_fingerprint IS NOT NULL;

CREATE TABLE events (
  investigation_id text NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq > 0),
  type text NOT NULL,
  event json NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (investigation_id, seq)
);

CREATE TABLE proposals (
  id text PRIMARY KEY,
  investigation_id text NOT NULL REFERENCES investigations (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN
    ('proposed', 'approved', 'rejected', 'expired', 'applying', 'applied', 'recovered', 'failed')),
  action_type text NOT NULL,
  target_namespace text NOT NULL,
  target_name text NOT NULL,
  proposal json NOT NULL,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT ${ms},
  updated_at timestamptz NOT NULL DEFAULT ${ms}
);
CREATE INDEX proposals_investigation_idx ON proposals (investigation_id, created_at);
CREATE INDEX proposals_state_idx ON proposals (state, created_at);

CREATE TABLE proposal_transitions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  proposal_id text NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  from_state text,
  to_state text NOT NULL,
  actor text NOT NULL,
  reason text,
  at timestamptz NOT NULL DEFAULT ${ms}
);
CREATE INDEX proposal_transitions_proposal_idx ON proposal_transitions (proposal_id, id);

CREATE TABLE api_keys (
  id text PRIMARY KEY,
  prefix text NOT NULL UNIQUE,
  secret_hash text NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'investigator', 'approver', 'admin')),
  created_by text,
  created_at timestamptz NOT NULL DEFAULT ${ms},
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  revoked_by text
);

CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  actor text NOT NULL,
  actor_role text,
  action text NOT NULL,
  outcome text NOT NULL,
  investigation_id text,
  target text,
  request_id text,
  details json NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_investigation_idx ON audit_log (investigation_id, seq) WHERE investigation_id IS NOT NULL;

-- The chain head: appends lock this one row, so concurrent appends queue instead of forking the chain,
-- and verify can tell when the newest entries were deleted.
CREATE TABLE audit_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_head (seq, hash) VALUES (0, repeat('0', 64));

-- Append-only for everyone who does not first disable the trigger; the hash chain catches those who do.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
`,
};
