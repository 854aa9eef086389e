// runbook_lookup: the built-in runbook for a failure, matched by the finding's reason code first,
// then by words of a free-text query. Runbooks are markdown in library/, read on first use.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defineTool, noData, ok } from '../define';
import catalogJson from './library/catalog.json';

const EntrySchema = z.object({
  id: z.string(),
  title: z.string(),
  file: z.string().regex(/^[a-z0-9-]+\.md$/),
  reasons: z.array(z.string()),
  keywords: z.array(z.string()),
});
const CATALOG = z.array(EntrySchema).parse(catalogJson);
const bodies = new Map<string, string>();

function body(entry: z.infer<typeof EntrySchema>): string {
  let text = bodies.get(entry.id);
  if (text === undefined) {
    text = fs.readFileSync(path.join(__dirname, 'library', entry.file), 'utf8');
    bodies.set(entry.id, text);
  }
  return text;
}

/** Runbooks for a reason code or a query, best first. */
export function findRunbooks(
  reason: string | undefined,
  query: string | undefined,
): z.infer<typeof EntrySchema>[] {
  const words = (query ?? '').toLowerCase();
  const scored = CATALOG.map((entry) => {
    let score = reason && entry.reasons.some((r) => r.toLowerCase() === reason.toLowerCase()) ? 10 : 0;
    for (const k of entry.keywords) if (words.includes(k)) score += 1;
    if (words.includes(entry.id.replace(/-/g, ' '))) score += 2;
    return { entry, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((s) => s.entry);
}

export const runbookLookup = defineTool({
  name: 'runbook_lookup',
  description: `Read the runbook for a failure mode: how to confirm it, what usually causes it, and which fix applies. Match by a finding's reason code (e.g. CrashLoopBackOff, OOMKilled, ImagePullBackOff, FailedCreate, Unschedulable) or by a query. Runbooks: ${CATALOG.map((c) => c.id).join(', ')}.`,
  params: z
    .object({
      reason: z
        .string()
        .regex(/^[A-Za-z]{1,64}$/)
        .optional()
        .describe("A finding's reason code."),
      query: z.string().min(1).max(300).optional().describe('Free text: symptoms or error words.'),
    })
    .refine((p) => p.reason !== undefined || p.query !== undefined, { message: 'give a reason or a query' }),
  summary: (p) => `Looking up the runbook for ${p.reason ?? `"${p.query}"`}`,
  run: async (p) => {
    const found = findRunbooks(p.reason, p.query);
    if (found.length === 0) {
      return noData(
        `No runbook matches. Runbooks: ${CATALOG.map((c) => `${c.id} (${c.reasons.slice(0, 3).join(', ')})`).join('; ')}.`,
        'No matching runbook',
      );
    }
    const [best, ...others] = found;
    const more = others.length
      ? `\n\nAlso relevant: ${others
          .slice(0, 2)
          .map((o) => o.title)
          .join(', ')}.`
      : '';
    return ok(body(best!) + more, `Runbook: ${best!.title}`, { id: best!.id });
  },
});
