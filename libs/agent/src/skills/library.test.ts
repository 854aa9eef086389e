import fs from 'node:fs';
import path from 'node:path';
import { ROLES } from '../roles/roles';
import { skillsToolset } from './fetch-skill';
import { describeCatalog, loadSkillLibrary } from './library';

describe('skills', () => {
  const library = loadSkillLibrary();

  it('has a markdown file for every catalog entry and no file outside the catalog', () => {
    const listed = library.catalog.map((s) => s.file).sort();
    const onDisk = fs
      .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.split(path.sep).join('/'))
      .sort();
    expect(onDisk).toEqual(listed);
  });

  it.each([
    ['investigate', ['## 1. Scope', '## 2. Evidence', '## 3. Hypotheses', '## 4. Test', '## 5. Conclude']],
    ['kubernetes-debugging', ['## Events before logs']],
    ['log-analysis', ['## Statistics before samples']],
    ['remediation-safety', ['## The closed set of actions', 'DeleteResourceQuota']],
  ])('%s covers its method', (id, headings) => {
    const body = library.read(id)!;
    for (const h of headings) expect(body).toContain(h);
  });

  it('points every role only at skills that exist', () => {
    const ids = library.catalog.map((s) => s.id);
    for (const role of Object.values(ROLES)) for (const skill of role.skills) expect(ids).toContain(skill);
  });

  it('lists the catalog, never the bodies, in prompts and in the fetch tool', () => {
    const catalog = describeCatalog(library);
    expect(catalog.split('\n')).toHaveLength(library.catalog.length);
    expect(catalog).not.toContain('## 1. Scope');
    const [tool] = skillsToolset(library).tools;
    expect(tool!.params.safeParse({ id: 'investigate' }).success).toBe(true);
    expect(tool!.params.safeParse({ id: '../../etc/passwd' }).success).toBe(false);
  });
});
