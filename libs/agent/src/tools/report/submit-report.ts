// submit_report: the commander's structured final report. Recording it is all it does; the engine
// assembles the `result` from it when the turn ends.
import { defineTool, ok } from '../define';
import { type Toolset } from '../registry';
import { ReportDraftSchema } from '../../report/draft';

export const submitReport = defineTool({
  name: 'submit_report',
  description:
    'Submit the final investigation report, once, when you have concluded. Findings and proposals already emitted are attached automatically; do not repeat them here.',
  params: ReportDraftSchema,
  summary: (p) => `Submitting the report: ${p.rootCause.slice(0, 120)}`,
  run: async (p, ctx) => {
    ctx.turn.report = p;
    return ok('Report recorded. Write a short closing summary for the engineer and stop.', 'Report recorded');
  },
});

export const reportToolset: Toolset = {
  name: 'report/final',
  description: "The commander's final report.",
  tools: [submitReport],
};
