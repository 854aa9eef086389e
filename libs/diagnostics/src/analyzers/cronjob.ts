// CronJob analyzer: suspended CronJobs, schedules that do not parse, negative starting deadlines.
import { type Finding } from '@foxhound/contracts';
import { lookup } from '../lookup';
import { type ClusterSnapshot } from '../snapshot';
import { DOCS } from '../util/docs';
import { evidence, makeFinding } from '../util/finding';
import { describeRef, refOf } from '../util/refs';
import { type Analyzer } from './types';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const FIELD_RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;

function validField(field: string, [min, max]: [number, number]): boolean {
  return field.split(',').every((part) => {
    const [range, step] = part.split('/');
    if (step !== undefined && !/^\d+$/.test(step)) return false;
    if (range === '*' || range === '?') return true;
    return range
      .split('-')
      .every((v) => NAMES.test(v) || (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max));
  });
}

/** Standard 5-field cron syntax (plus macros and an optional TZ= prefix), as the CronJob controller accepts. */
export function isValidSchedule(schedule: string): boolean {
  const s = schedule.trim().replace(/^(CRON_)?TZ=\S+\s+/, '');
  if (MACROS.has(s) || /^@every \d+[smh]/.test(s)) return true;
  const fields = s.split(/\s+/);
  return fields.length === 5 && fields.every((f, i) => validField(f, FIELD_RANGES[i]));
}

export const cronJobAnalyzer: Analyzer = {
  name: 'cronjob',
  kinds: ['CronJob'],
  analyze(snapshot: ClusterSnapshot): Finding[] {
    const l = lookup(snapshot);
    const findings: Finding[] = [];
    for (const cj of l.list('cronJobs')) {
      const ref = refOf('CronJob', cj);
      if (cj.spec.suspend) {
        findings.push(
          makeFinding('cronjob', 'Suspended', ref, {
            severity: 'info',
            symptom: `${describeRef(ref)} is suspended`,
            cause: 'spec.suspend is true: no Jobs are scheduled',
            evidence: [evidence.field('spec.suspend', true)],
            confidence: 0.95,
            docs: DOCS.cronJobs,
          }),
        );
      }
      if (!isValidSchedule(cj.spec.schedule)) {
        findings.push(
          makeFinding('cronjob', 'InvalidSchedule', ref, {
            severity: 'medium',
            symptom: `${describeRef(ref)} never runs`,
            cause: `its schedule "${cj.spec.schedule}" is not valid cron syntax`,
            evidence: [evidence.field('spec.schedule', cj.spec.schedule)],
            confidence: 0.9,
            docs: DOCS.cronJobs,
          }),
        );
      }
      if ((cj.spec.startingDeadlineSeconds ?? 0) < 0) {
        findings.push(
          makeFinding('cronjob', 'NegativeStartingDeadline', ref, {
            severity: 'medium',
            symptom: `${describeRef(ref)} never starts its Jobs`,
            cause: `startingDeadlineSeconds is ${cj.spec.startingDeadlineSeconds}`,
            evidence: [evidence.field('spec.startingDeadlineSeconds', cj.spec.startingDeadlineSeconds)],
            confidence: 0.9,
            docs: DOCS.cronJobs,
          }),
        );
      }
    }
    return findings;
  },
};
