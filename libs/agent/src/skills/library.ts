// Skills: methodology as markdown, listed in catalog.json and read only when a role fetches one, so
// a prompt carries the catalog (ids and one-line descriptions), never every skill's body.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import catalogJson from './catalog.json';

const SkillEntrySchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  description: z.string().min(1),
  file: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+\.md$/),
});
export type SkillEntry = z.infer<typeof SkillEntrySchema>;

export interface SkillLibrary {
  catalog: readonly SkillEntry[];
  /** The skill's markdown; read from disk on first use and kept. */
  read(id: string): string | undefined;
}

export function loadSkillLibrary(directory: string = __dirname): SkillLibrary {
  const catalog = z.array(SkillEntrySchema).parse(catalogJson);
  const bodies = new Map<string, string>();
  return {
    catalog,
    read(id) {
      const entry = catalog.find((s) => s.id === id);
      if (!entry) return undefined;
      let body = bodies.get(id);
      if (body === undefined) {
        body = fs.readFileSync(path.join(directory, entry.file), 'utf8');
        bodies.set(id, body);
      }
      return body;
    },
  };
}

/** The catalog as a prompt lists it. */
export function describeCatalog(library: SkillLibrary): string {
  return library.catalog.map((s) => `- \`${s.id}\`: ${s.description}`).join('\n');
}
