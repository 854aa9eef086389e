// Durability under store outages and dead executors. Audit entries may carry a dedup key, unique when
// present, so a batch retried after a commit whose answer was lost is not appended twice (the key is
// bookkeeping, outside the hash). A running investigation records the gateway process running it and
// when that process last vouched for it, so a sweeper can finish the ones whose runner is gone.
import { type Migration } from './migration';

export const durability: Migration = {
  version: 2,
  name: 'durability',
  sql: `
ALTER TABLE audit_log ADD COLUMN dedup_key text;
CREATE UNIQUE INDEX audit_log_dedup_idx ON audit_log (dedup_key) WHERE dedup_key IS NOT NULL;

ALTER TABLE investigations ADD COLUMN runner_id text;
ALTER TABLE investigations ADD COLUMN heartbeat_at timestamptz;
CREATE INDEX investigations_running_heartbeat_idx ON investigations (heartbeat_at) WHERE status = 'running';
`,
};
