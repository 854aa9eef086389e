import { type CronJob, type Job } from '../snapshot';
import { NS, event, snapshot, template } from '../__fixtures__/build';
import { cronJobAnalyzer, isValidSchedule } from './cronjob';
import { jobAnalyzer } from './job';

function job(status: Job['status'], o: { suspend?: boolean; cron?: string } = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'migrate',
      namespace: NS,
      ...(o.cron ? { ownerReferences: [{ kind: 'CronJob', name: o.cron, controller: true }] } : {}),
    },
    spec: {
      backoffLimit: 3,
      template: template({ job: 'migrate' }),
      ...(o.suspend ? { suspend: true } : {}),
    },
    status,
  };
}

describe('job analyzer', () => {
  it('reports a failed Job with its condition, under its CronJob', () => {
    const failed = job(
      {
        failed: 4,
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      },
      { cron: 'nightly' },
    );
    const [f] = jobAnalyzer.analyze(snapshot({ jobs: [failed] }));
    expect(f).toMatchObject({
      reason: 'BackoffLimitExceeded',
      parent: { kind: 'CronJob', name: 'nightly', namespace: NS },
      cause: 'Job has reached the specified backoff limit',
    });
  });

  it('explains a Job whose pods are refused', () => {
    const e = event(
      { kind: 'Job', name: 'migrate' },
      'FailedCreate',
      'Error creating: pods "migrate-x" is forbidden: exceeded quota: jobs, requested: pods=1, used: pods=5, limited: pods=5',
    );
    expect(jobAnalyzer.analyze(snapshot({ jobs: [job({ active: 0 })], events: [e] }))[0]).toMatchObject({
      reason: 'FailedCreate',
      cause:
        'ResourceQuota shop/jobs is exhausted and refuses new pods (pods: asks 1, 5 of 5 used, nothing left)',
    });
  });

  it.each([
    ['a complete Job', job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }), []],
    ['a running Job with a retry', job({ active: 1, failed: 1 }), []],
    ['a suspended Job (info)', job({}, { suspend: true }), ['Suspended']],
  ])('%s', (_name, j, reasons) => {
    expect(jobAnalyzer.analyze(snapshot({ jobs: [j] })).map((f) => f.reason)).toEqual(reasons);
  });
});

describe('cronjob analyzer', () => {
  const cron = (schedule: string, extra: Partial<CronJob['spec']> = {}): CronJob => ({
    metadata: { name: 'nightly', namespace: NS },
    spec: { schedule, jobTemplate: { spec: job({}).spec }, ...extra },
  });
  it.each([
    ['an invalid schedule', cron('61 * * * *'), ['InvalidSchedule']],
    [
      'a negative starting deadline',
      cron('0 3 * * *', { startingDeadlineSeconds: -10 }),
      ['NegativeStartingDeadline'],
    ],
    ['a suspended CronJob', cron('@daily', { suspend: true }), ['Suspended']],
    ['a valid CronJob', cron('TZ=Europe/Paris */15 9-17 * * mon-fri'), []],
  ])('%s', (_name, c, reasons) => {
    expect(cronJobAnalyzer.analyze(snapshot({ cronJobs: [c] })).map((f) => f.reason)).toEqual(reasons);
  });

  it.each([
    ['0 3 * * *', true],
    ['@hourly', true],
    ['* * *', false],
    ['0 25 * * *', false],
    ['*/5 * * * 1-5', true],
  ])('schedule %s valid: %s', (s, valid) => {
    expect(isValidSchedule(s)).toBe(valid);
  });
});
