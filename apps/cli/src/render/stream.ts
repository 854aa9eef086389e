// Renders an investigation's event stream for a human in a terminal: one line per step with the
// elapsed time, indented under the subagent that produced it, then the final report. `foxhound
// investigate`, `follow` and `show` print with it, and so does `make demo` (through the CLI).
// Text from the cluster (log lines, messages) is printed without its control characters, so a log
// line cannot move the cursor or retitle the terminal.
import { type InvestigationReport, type StreamEvent } from '@foxhound/contracts';
import { printable } from './printable';
import { type Style } from './style';

const SEVERITY_STYLE = { critical: 'red', high: 'red', medium: 'yellow', low: 'cyan', info: 'dim' } as const;
const one = (text: string, max = 160) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** One or more lines for an event; empty for events with nothing to show. */
export function renderEvent(raw: StreamEvent, elapsedMs: number, s: Style): string[] {
  const event = printable(raw);
  const at = s.dim(`${(elapsedMs / 1000).toFixed(1).padStart(5)}s`);
  const nested = 'parent_tool_use_id' in event.data && event.data.parent_tool_use_id ? '    ' : '';
  const role = 'role' in event.data && event.data.role ? s.dim(`[${event.data.role}] `) : '';
  const line = (text: string) => `${at} ${nested}${role}${text}`;
  switch (event.type) {
    case 'session':
      return [
        line(
          `${s.bold('session')} thread ${event.data.thread_id}, sandbox ${event.data.sandbox_id}${event.data.reused ? ' (reused)' : ''}`,
        ),
      ];
    case 'thought':
      return [line(one(event.data.text, 200))];
    case 'tool_start':
      return [
        line(
          `${s.cyan('→')} ${event.data.name} ${s.dim(one(event.data.summary ?? JSON.stringify(event.data.input), 120))}`,
        ),
      ];
    case 'tool_end': {
      const mark =
        event.data.status === 'success'
          ? s.green('✓')
          : event.data.status === 'no_data'
            ? s.dim('∅')
            : s.red('✗');
      const detail = event.data.error ?? event.data.summary ?? '';
      return [
        line(
          `${mark} ${event.data.name}${detail ? ` ${s.dim(one(detail, 120))}` : ''}${event.data.truncated ? s.dim(' (truncated)') : ''}`,
        ),
      ];
    }
    case 'finding': {
      const f = event.data;
      const sev = s[SEVERITY_STYLE[f.severity]](f.severity.toUpperCase());
      const where = `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
      const lines = [
        line(`${sev} ${s.bold(where)}: ${one(f.symptom, 140)}`),
        line(`   cause: ${one(f.cause, 180)}`),
      ];
      for (const e of f.evidence.slice(0, 2))
        lines.push(line(s.dim(`   ${e.source}: ${one(e.excerpt, 160)}`)));
      return lines;
    }
    case 'proposal':
      return [
        line(
          `${s.yellow('proposal')} ${event.data.action.type} ${event.data.action.namespace}/${event.data.action.name} (risk ${event.data.risk}): ${one(event.data.summary, 120)}`,
        ),
      ];
    case 'action_update':
      return [
        line(
          `action ${event.data.proposal_id} → ${event.data.state}${event.data.reason ? `: ${event.data.reason}` : ''}`,
        ),
      ];
    case 'result':
      return [
        line(
          `${event.data.success ? s.green('result') : s.red('result')} ${event.data.subtype}${event.data.provider ? s.dim(` (${event.data.provider}${event.data.model ? ` ${event.data.model}` : ''})`) : ''}`,
        ),
      ];
    case 'error':
      return [
        line(
          `${s.red('error')} ${event.data.message}${event.data.recoverable ? s.dim(' (recoverable)') : ''}`,
        ),
      ];
  }
}

/** The final report as a readable block. */
export function renderReport(raw: InvestigationReport, s: Style): string[] {
  const report = printable(raw);
  const out = ['', s.bold(report.healthy ? 'Nothing is wrong' : 'Root cause'), `  ${report.rootCause}`];
  if (report.affected)
    out.push(
      `  affected: ${report.affected.kind} ${report.affected.namespace ?? ''}/${report.affected.name}`,
    );
  out.push(
    `  confidence: ${Math.round(report.confidence * 100)}%`,
    '',
    s.bold('Summary'),
    `  ${report.summary}`,
  );
  if (report.evidence.length) {
    out.push('', s.bold('Evidence'));
    for (const e of report.evidence.slice(0, 6)) out.push(`  - ${e.source}: ${one(e.excerpt, 160)}`);
  }
  if (report.impact) out.push('', s.bold('Impact'), `  ${report.impact}`);
  if (report.blastRadius.length) {
    out.push(
      `  blast radius: ${report.blastRadius.map((r) => `${r.kind} ${r.namespace ?? ''}/${r.name}`).join(', ')}`,
    );
  }
  if (report.proposals.length) {
    out.push('', s.bold('Proposed actions (nothing changes until a human approves)'));
    for (const p of report.proposals) {
      out.push(`  - ${p.action.type} ${p.action.namespace}/${p.action.name}, risk ${p.risk}: ${p.summary}`);
      out.push(
        s.dim(`    expected: ${one(p.expectedEffect, 140)}`),
        s.dim(`    rollback: ${one(p.rollback.description, 140)}`),
      );
    }
  }
  if (report.notChecked.length)
    out.push('', s.bold('Not checked'), ...report.notChecked.map((n) => `  - ${n}`));
  return out;
}
