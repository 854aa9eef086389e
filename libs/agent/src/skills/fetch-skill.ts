// fetch_skill: the one tool through which a role reads a methodology skill.
import { z } from 'zod';
import { defineTool, ok } from '../tools/define';
import { type Toolset } from '../tools/registry';
import { describeCatalog, type SkillLibrary } from './library';

export function skillsToolset(library: SkillLibrary): Toolset {
  const ids = library.catalog.map((s) => s.id) as [string, ...string[]];
  const fetchSkill = defineTool({
    name: 'fetch_skill',
    description: `Read one methodology skill (markdown). Fetch a skill when you start the kind of work it covers. Catalog:\n${describeCatalog(library)}`,
    params: z.object({ id: z.enum(ids).describe('A skill id from the catalog in this tool description.') }),
    summary: (p) => `Reading the ${p.id} skill`,
    run: async (p) => {
      const body = library.read(p.id)!;
      const title = library.catalog.find((s) => s.id === p.id)!.title;
      return ok(body, `Read "${title}"`, { id: p.id });
    },
  });
  return {
    name: 'skills/methodology',
    description: 'Investigation methodology as markdown skills, loaded on demand.',
    tools: [fetchSkill],
  };
}
