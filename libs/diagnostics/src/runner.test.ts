import { type Analyzer } from './analyzers';
import { runAnalyzers } from './runner';
import { snapshot } from './__fixtures__/build';

const ok = (id: string, severity: 'info' | 'high'): Analyzer => ({
  name: 'ok',
  kinds: ['Pod'],
  analyze: () => [
    {
      id,
      analyzer: 'ok',
      reason: 'R',
      severity,
      object: { kind: 'Pod', name: 'p' },
      symptom: 's',
      cause: 'c',
      evidence: [],
      confidence: 1,
    },
  ],
});
const broken: Analyzer = {
  name: 'broken',
  kinds: ['Pod'],
  analyze: () => {
    throw new TypeError("Cannot read properties of undefined (reading 'spec')");
  },
};

describe('runAnalyzers', () => {
  it("records a failing analyzer's error and keeps the others' findings", () => {
    const result = runAnalyzers(snapshot({}), [broken, ok('a', 'high')]);
    expect(result.errors).toEqual([
      { analyzer: 'broken', message: "Cannot read properties of undefined (reading 'spec')" },
    ]);
    expect(result).toMatchObject({ status: 'problems', problems: 1 });
  });

  it('makes duplicate ids unique and counts only problems toward the status', () => {
    const result = runAnalyzers(snapshot({}), [ok('a', 'info'), ok('a', 'info')]);
    expect(result.findings.map((f) => f.id)).toEqual(['a', 'a#2']);
    expect(result).toMatchObject({ status: 'ok', problems: 0, errors: [] });
  });
});
