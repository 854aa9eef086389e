// Console benchmark: with 100 investigations stored, (1) time to first render of the investigations
// list in Chromium vs the same two API calls (whoami, first page) made directly, (2) time for a live
// event (an investigation's result) to show on its page vs a raw SSE client of the same stream,
// both timed from the moment the executor sends it, (3) time for a new investigation to appear in the
// open list (the list re-reads every LIST_REFRESH_MS) vs creating it and listing it through the API, and (4) the bundle's
// size, raw and gzipped. Medians of BENCH_RUNS (default 7) interleaved runs.
//
//   node --conditions=@foxhound/source -r ./tools/ts-run.cjs tools/bench/console/render.ts
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { type StreamEvent } from '@foxhound/contracts';
import { openEventStream } from '@foxhound/service-kit';
import { startConsoleRig } from '../../../apps/gateway/src/__fixtures__/console-browser';
import { result, thought } from '../../../apps/gateway/src/__fixtures__/fakes';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const STORED = 100;

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;

async function main() {
  const rig = await startConsoleRig();
  try {
    const key = rig.keys.viewer;
    const headers = { 'x-api-key': key };
    for (let i = 0; i < STORED; i++) {
      const { investigation } = await rig.store.investigations.create({
        threadId: `bench-${i}`,
        source: 'api',
        prompt: `stored investigation ${i}: orders queue is backing up`,
        principal: 'key:bench',
      });
      await rig.store.investigations.finish(investigation.id, { status: 'completed' });
    }
    const context = await rig.context();
    await context.addInitScript(`sessionStorage.setItem('foxhound.credential', ${JSON.stringify(key)})`);
    const page = await context.newPage();

    const render = { console: [] as number[], api: [] as number[] };
    const live = { console: [] as number[], sse: [] as number[] };
    const list = { console: [] as number[], api: [] as number[] };
    for (let run = 0; run < RUNS; run++) {
      // (1) First render: a fresh load of the list until its 25th row is on screen.
      await page.goto('about:blank');
      let t = now();
      await page.goto(`${rig.url}/console/#/investigations`);
      await page.locator('tbody tr').nth(24).waitFor();
      render.console.push(now() - t);
      t = now();
      for (const url of ['/v1/whoami', '/v1/investigations?limit=25']) {
        const res = await fetch(`${rig.url}${url}`, { headers });
        await res.json();
      }
      render.api.push(now() - t);

      // (3) A new investigation appearing in the open list.
      let release: () => void = () => undefined;
      let sent = 0;
      const gate = new Promise<void>((resolve) => (release = resolve));
      rig.executor.script({
        before: (th) => [thought('looking', th)],
        gate: gate.then(() => void (sent = now())),
        after: (th) => [result('done', th)],
      });
      const title = `bench live ${run}`;
      t = now();
      const created = await fetch(`${rig.url}/v1/investigations`, {
        method: 'POST',
        headers: { 'x-api-key': rig.keys.investigator, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: title }),
      }).then((r) => r.json() as Promise<{ id: string }>);
      const listed = await fetch(`${rig.url}/v1/investigations?limit=25`, { headers }).then((r) => r.text());
      if (!listed.includes(created.id)) throw new Error('the API did not list the new investigation');
      list.api.push(now() - t);
      await page.getByRole('link', { name: title, exact: true }).waitFor();
      list.console.push(now() - t);

      // (2) The result event: on the investigation's page and on a raw SSE client, from its sending.
      await page.goto(`${rig.url}/console/#/investigations/${created.id}`);
      await page.getByText('Investigating… the report appears here').waitFor();
      const stream = await openEventStream(`${rig.url}/v1/investigations/${created.id}/events`, { headers });
      const raw = (async () => {
        for await (const frame of stream.frames) {
          if ((JSON.parse(frame.data) as StreamEvent).type === 'result') return now();
        }
        throw new Error('the stream ended without a result');
      })();
      release();
      await page.getByText('Finished: success').waitFor();
      live.console.push(now() - sent);
      live.sse.push((await raw) - sent);
    }

    const out = readdirSync(rig.consoleDir);
    const sizes = out
      .filter((f) => /\.(js|css|html)$/.test(f))
      .map((f) => {
        const bytes = readFileSync(path.join(rig.consoleDir, f));
        return { f, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
      });
    const line = (name: string, a: number[], b: number[], baseline: string) =>
      `${name.padEnd(34)} console ${fmt(median(a))}   ${baseline.padEnd(16)} ${fmt(median(b))}   ratio ${(median(a) / median(b)).toFixed(1)}x`;
    process.stdout.write(
      [
        `Console over ${STORED} stored investigations, Chromium headless, median of ${RUNS} runs`,
        line('first render (25 rows)', render.console, render.api, 'API calls'),
        line('live event on its page', live.console, live.sse, 'raw SSE client'),
        line('new investigation in the list', list.console, list.api, 'API create+list'),
        ...sizes.map(
          (s) =>
            `bundle ${s.f.padEnd(27)} ${String(s.raw).padStart(7)} B raw ${String(s.gz).padStart(7)} B gzipped`,
        ),
        `bundle total gzipped               ${sizes.reduce((n, s) => n + s.gz, 0)} B`,
        '',
      ].join('\n'),
    );
    await context.close();
  } finally {
    await rig.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
