// The report, read first: root cause, confidence and what it rests on, the evidence as quoted lines,
// blast radius and what the investigation did not check.
import { type InvestigationReport } from '@foxhound/contracts';
import { refText } from './format';

const EVIDENCE_SHOWN = 12;

export function Report({ report }: { report: InvestigationReport }) {
  const confidence = Math.round(report.confidence * 100);
  return (
    <section class="report" aria-labelledby="report-title">
      <h2 id="report-title" class="sr-only">
        Report
      </h2>
      <div class={`rootcause ${report.healthy ? 'healthy' : ''}`}>
        <p class="label">{report.healthy ? 'Nothing is wrong' : 'Root cause'}</p>
        <p class="cause-text">{report.rootCause}</p>
        <p class="small">
          Confidence {confidence}%
          {report.confidenceBasis && ` (${report.confidenceBasis.level}: ${report.confidenceBasis.reason})`}
          {report.affected && ` · ${refText(report.affected)}`}
          {report.partial && ' · partial: the investigation stopped before it concluded'}
        </p>
      </div>
      {report.answer && <p class="answer">{report.answer}</p>}
      <p>{report.summary}</p>
      {report.impact && (
        <p>
          <strong>Impact:</strong> {report.impact}
        </p>
      )}
      {report.evidence.length > 0 && (
        <>
          <h3>Evidence</h3>
          <ul class="evidence">
            {report.evidence.slice(0, EVIDENCE_SHOWN).map((e, i) => (
              <li key={i}>
                <span class="dim">
                  {e.source}
                  {e.ref ? ` · ${refText(e.ref)}` : ''}
                  {e.path ? ` · ${e.path}` : ''}
                </span>
                <blockquote>{e.excerpt}</blockquote>
              </li>
            ))}
          </ul>
          {report.evidence.length > EVIDENCE_SHOWN && (
            <p class="dim small">{report.evidence.length - EVIDENCE_SHOWN} more in the timeline.</p>
          )}
        </>
      )}
      {report.blastRadius.length > 0 && (
        <p>
          <strong>Blast radius:</strong> {report.blastRadius.map(refText).join(', ')}
        </p>
      )}
      {report.notChecked.length > 0 && (
        <p class="dim">
          <strong>Not checked:</strong> {report.notChecked.join('; ')}
        </p>
      )}
    </section>
  );
}
