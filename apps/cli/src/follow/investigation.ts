// Prints an investigation's stream as it arrives (rendered, or raw JSON lines with --json) and, once
// it ends, the stored report; returns the investigation's final state. A stream that breaks after the
// session event is resumed from the last event seen (Last-Event-ID), at most `maxResumes` times, so
// a gateway restart mid-turn does not lose the end.
import { type InvestigationDetail, type StreamEvent } from '@foxhound/contracts';
import { type GatewayClient, type OpenStream } from '../client/gateway';
import { networkError } from '../client/http-error';
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';
import { renderEvent, renderReport } from '../render/stream';
import { type Ui } from '../ui';

export interface FollowOutcome {
  investigationId?: string;
  detail?: InvestigationDetail;
}

export async function printStream(
  client: GatewayClient,
  ui: Ui,
  first: OpenStream,
  options: { investigationId?: string; maxResumes?: number } = {},
): Promise<FollowOutcome> {
  const started = Date.now();
  let id = options.investigationId ?? first.headers.get('x-investigation-id') ?? undefined;
  let lastSeq = 0;
  let ended = false;
  let stream = first;
  ui.spinner.set('waiting for the first event');
  for (let resumes = 0; ; resumes++) {
    try {
      for await (const frame of stream.frames) {
        let event: StreamEvent;
        try {
          event = JSON.parse(frame.data) as StreamEvent;
        } catch {
          throw new CliError('the gateway sent an event that is not JSON', EXIT.server);
        }
        if (frame.id && /^\d+$/.test(frame.id)) lastSeq = Number(frame.id);
        if (event.type === 'session' && event.data.investigation_id) id = event.data.investigation_id;
        if (event.type === 'result' || event.type === 'error') ended = true;
        if (ui.json) ui.emit(event);
        else for (const line of renderEvent(event, Date.now() - started, ui.style)) ui.say(line);
        if (!ended) ui.spinner.set(spinnerText(event));
      }
      break;
    } catch (err) {
      const broken = !(err instanceof CliError) || err.exitCode === EXIT.unreachable;
      if (!broken || !id || ended || resumes >= (options.maxResumes ?? 3)) throw networkError(client.server, err);
      ui.note(`the stream broke (${err instanceof Error ? err.message : String(err)}); resuming after event ${lastSeq}`);
      stream = await client.events(id, lastSeq);
    }
  }
  ui.spinner.stop();
  if (!id) return {};
  const detail = await client.getInvestigation(id);
  if (!ui.json && detail.report) for (const line of renderReport(detail.report, ui.style)) ui.say(line);
  return { investigationId: id, detail };
}

function spinnerText(event: StreamEvent): string {
  if (event.type === 'tool_start') return `running ${event.data.name}`;
  if (event.type === 'session') return 'the sandbox is working';
  return 'thinking';
}

/** The closing line and exit code for an investigation's final state. */
export function finish(ui: Ui, outcome: FollowOutcome): number {
  const detail = outcome.detail;
  if (!detail) {
    ui.say(ui.style.red('the stream ended without naming its investigation'));
    return EXIT.server;
  }
  const secs = ((detail.durationMs ?? 0) / 1000).toFixed(2);
  const s = ui.style;
  ui.say('');
  ui.say(
    `${detail.status === 'completed' ? s.green('completed') : s.red(detail.status)} in ${secs} s  ${s.dim(`investigation ${detail.id}, thread ${detail.threadId}`)}`,
  );
  if (detail.error) ui.say(s.red(`  ${detail.error.message}`));
  const pending = detail.report?.proposals ?? [];
  if (pending.length)
    ui.say(s.dim(`  review: foxhound actions --investigation ${detail.id}; approve: foxhound approve ${pending[0]!.id} --reason "..."`));
  if (detail.status !== 'running') ui.say(s.dim(`  follow up: foxhound investigate --thread ${detail.threadId} "..."`));
  return detail.status === 'completed' ? EXIT.ok : EXIT.failed;
}
