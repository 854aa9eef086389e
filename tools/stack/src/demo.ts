// `make demo`: starts the whole stack on this machine against kube-sim loaded with several incidents,
// runs one investigation through the public API, prints its events as they stream and the final
// report, stops everything, and exits 0 when the investigation completed.
import path from 'node:path';
import {
  type InvestigationDetail,
  type Proposal,
  type StoredProposal,
  type StreamEvent,
} from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { parseCliOptions, scenarioPrompt } from './options';
import { renderEvent, renderReport, styleFor } from './render';
import { startStack } from './stack';

async function main(): Promise<number> {
  const options = parseCliOptions(process.argv.slice(2));
  const s = styleFor(process.stdout);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const focus = scenarioPrompt(path.join(options.root, 'scenarios', options.focus));
  const stateDir = path.join(options.root, '.foxhound', 'demo');
  const started = Date.now();

  say(s.bold('Foxhound demo'));
  say(
    options.kubeconfig
      ? `cluster: ${options.kubeconfig} (real cluster from KUBECONFIG)`
      : `cluster: kube-sim with ${options.scenarios.length} incidents (${options.scenarios.map((d) => path.basename(d)).join(', ')})`,
  );
  const stack = await startStack({
    root: options.root,
    mode: options.mode,
    stateDir,
    scenarios: options.scenarios,
    kubeconfig: options.kubeconfig,
    authMode: 'open',
    gatewayDataDir: 'memory',
    isolation: options.isolation,
    warmPoolSize: 1,
    logLevel: 'warn',
    env: {
      // One operator plays every role in the demo, so it may approve its own investigation's
      // actions; the gateway audits each waiver.
      GATEWAY_ALLOW_SELF_APPROVAL: 'true',
      ...(process.env.ANTHROPIC_API_KEY ? { ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY } : {}),
    },
    onProgress: (m) => say(s.dim(`  ${m} ...`)),
  });
  try {
    say(
      `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s: gateway ${stack.urls.gateway} (logs in ${stack.logDir})`,
    );
    say('');
    say(`${s.bold('Investigating')} "${focus.prompt}"`);
    say(
      s.dim(
        `  POST ${stack.urls.gateway}/investigate  {"prompt": ..., "namespaces": ${JSON.stringify(focus.namespaces)}}`,
      ),
    );
    say('');
    const stream = await openEventStream(`${stack.urls.gateway}/investigate`, {
      body: { prompt: focus.prompt, namespaces: focus.namespaces },
    });
    if (stream.status !== 200)
      throw new Error(`the gateway refused the investigation: HTTP ${stream.status} ${await stream.text()}`);
    const t0 = Date.now();
    let investigationId: string | undefined;
    for await (const frame of stream.frames) {
      const event = JSON.parse(frame.data) as StreamEvent;
      if (event.type === 'session') investigationId = event.data.investigation_id;
      for (const line of renderEvent(event, Date.now() - t0, s)) say(line);
    }
    if (!investigationId) throw new Error('the stream had no session event');
    const response = await fetch(`${stack.urls.gateway}/v1/investigations/${investigationId}`);
    const detail = (await response.json()) as InvestigationDetail;
    if (detail.report) for (const line of renderReport(detail.report, s)) say(line);
    say('');
    say(
      `${detail.status === 'completed' ? s.green('completed') : s.red(detail.status)} in ${((detail.durationMs ?? 0) / 1000).toFixed(2)} s`,
    );
    if (detail.status !== 'completed') return 1;
    const proposal = detail.report?.proposals[0];
    if (proposal && !options.kubeconfig) await approveAndWatch(stack.urls.gateway, proposal, say, s);
    return 0;
  } finally {
    say(s.dim('stopping the stack ...'));
    await stack.stop();
  }
}

/** Approves the first proposal as an operator would and follows the action until the cluster recovers. */
async function approveAndWatch(
  gateway: string,
  proposal: Proposal,
  say: (line: string) => void,
  s: ReturnType<typeof styleFor>,
): Promise<void> {
  const { type, namespace, name } = proposal.action;
  say('');
  say(`${s.bold('Approving')} ${type} ${namespace}/${name}`);
  say(s.dim(`  POST ${gateway}/v1/actions/${proposal.id}/approve  {"reason": ...}`));
  const started = Date.now();
  const approve = await fetch(`${gateway}/v1/actions/${proposal.id}/approve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'make demo: the operator approves the proposed fix' }),
  });
  if (!approve.ok)
    throw new Error(`the approval was refused: HTTP ${approve.status} ${await approve.text()}`);
  let shown = 0;
  for (let i = 0; i < 1200; i++) {
    const action = (await (await fetch(`${gateway}/v1/actions/${proposal.id}`)).json()) as StoredProposal;
    for (const step of action.history.slice(shown)) {
      const at = s.dim(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s`);
      say(
        `${at} ${step.to === 'recovered' ? s.green(step.to) : step.to === 'failed' ? s.red(step.to) : step.to}${step.reason ? `  ${s.dim(step.reason)}` : ''}`,
      );
    }
    shown = action.history.length;
    if (action.state === 'recovered' || action.state === 'rejected' || action.state === 'expired') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  say(s.yellow('the action has not recovered yet; see GET /v1/actions/' + proposal.id));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
