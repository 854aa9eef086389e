// Token counts and prompt caching as the fake bills them, so a benchmark through the fake measures
// what a breakpoint strategy would save. Tokens are estimated at four characters each. The prompt is
// the ordered blocks tools → system → messages; each cache_control marks a breakpoint whose prefix is
// written once it reaches the model's minimum (512 tokens on the 5.5 models, 1,024 elsewhere), and a
// request reads the longest cached prefix found at a breakpoint or up to 20 blocks before one (the
// API's lookback). Time-to-live is not modelled: a benchmark runs in seconds.
import { normalize, sha, type WireBlock, type WireRequest } from './fake-wire';

export interface SimulatedUsage {
  input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

const LOOKBACK_BLOCKS = 20;
export const estimateTokens = (value: unknown): number => Math.ceil(JSON.stringify(value ?? '').length / 4);

export class PromptCache {
  private readonly written = new Set<string>();

  /** Bills one request and writes its breakpoints. */
  bill(body: WireRequest): SimulatedUsage {
    const blocks = promptBlocks(body);
    const hashes: string[] = [];
    const totals: number[] = [];
    let hash = '';
    let total = 0;
    for (const block of blocks) {
      hash = sha(`${hash}\u0000${JSON.stringify(normalize(block.content, []))}`);
      total += estimateTokens(block.content);
      hashes.push(hash);
      totals.push(total);
    }
    const minimum = /-5-5|fable-5-1|mythos-5-1/.test(body.model) ? 512 : 1024;
    const breakpoints = blocks.flatMap((b, i) => (b.breakpoint ? [i] : []));
    let read = 0;
    for (const bp of breakpoints)
      for (let k = bp; k >= Math.max(0, bp - LOOKBACK_BLOCKS); k--)
        if (this.written.has(hashes[k]!)) {
          read = Math.max(read, totals[k]!);
          break;
        }
    let creation = 0;
    for (const bp of breakpoints) {
      if (totals[bp]! < minimum || this.written.has(hashes[bp]!)) continue;
      this.written.add(hashes[bp]!);
      creation = Math.max(creation, totals[bp]! - read);
    }
    return {
      input_tokens: total - read - creation,
      cache_read_input_tokens: read,
      cache_creation_input_tokens: creation,
    };
  }
}

function promptBlocks(body: WireRequest): { content: unknown; breakpoint: boolean }[] {
  const out: { content: unknown; breakpoint: boolean }[] = [];
  for (const tool of body.tools ?? []) out.push({ content: tool, breakpoint: Boolean(tool.cache_control) });
  const system: WireBlock[] =
    typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? []);
  for (const block of system) out.push({ content: block, breakpoint: Boolean(block.cache_control) });
  for (const message of body.messages) {
    const blocks: WireBlock[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of blocks) out.push({ content: block, breakpoint: Boolean(block.cache_control) });
  }
  return out;
}
