// What kind of question a turn asks, read from its wording (an alert always asks "what is wrong"):
// what is wrong or why X fails; what changed; is it safe to do Y or what would Y do; show me the
// logs or events of X; is X healthy; why is X not scaling or not scheduling. For "is it safe",
// also which action the question means. Pure: the offline engine picks its plan of reads from this.
import { type QuestionKind } from '@foxhound/contracts';

/** The actions a "what would Y do" question can ask about, in the question's own terms. */
export type AskedAction =
  'rollback' | 'restart' | 'scale' | 'delete-quota' | 'delete-job' | 'delete-pod' | 'patch-image';

export interface Question {
  kind: QuestionKind;
  /** For `safety`: the action the question asks about, when it names one. */
  action?: AskedAction;
  /** For a scale: the replica count the question names. */
  replicas?: number;
}

const ACTIONS: [AskedAction, RegExp][] = [
  [
    'rollback',
    /\b(roll(ing|ed)?[\s-]*back|rollback|revert(ing)?|undo(ing)? the (deploy|rollout|release))|\broll\b.{1,40}\bback\b/,
  ],
  ['restart', /\b(restart(ing)?|bounc(e|ing)|rollout restart|recycl(e|ing))\b/],
  ['scale', /\b(scal(e|ing)|replicas? to \d+|more replicas|fewer replicas)\b/],
  [
    'delete-quota',
    /\b(delet(e|ing)|remov(e|ing)|rais(e|ing)|drop(ping)?|lift(ing)?|increas(e|ing))\b.{0,40}\bquota\b|\bquota\b.{0,30}\b(delet|remov|rais|lift|increas)/,
  ],
  ['delete-job', /\b(delet(e|ing)|remov(e|ing)|kill(ing)?)\b.{0,30}\b(cron)?jobs?\b/],
  ['delete-pod', /\b(delet(e|ing)|kill(ing)?|evict(ing)?)\b.{0,30}\bpods?\b/],
  ['patch-image', /\b(set|chang(e|ing)|patch(ing)?|pin(ning)?|switch(ing)?)\b.{0,30}\b(image|tag)\b/],
];

const SAFETY =
  /\b(safe|safely|risky?|danger(ous)?|blast radius|side[\s-]?effects?|what (would|will|happens|does)|what'?s the impact|impact of|affect(s|ed)? (the )?(other|rest)|break anything|downtime)\b|\bif (i|we) (roll|restart|scale|delete|remove|raise|bounce|revert)|\bshould (i|we) (roll|restart|scale|delete|remove|revert|bounce)/;
const CHANGES =
  /\b(what|anything|something|who) (has |have )?(changed|was deployed|got deployed|was released)\b|\brecent (changes|deploy(ment)?s|releases|rollouts)\b|\btimeline\b|\bchange ?log\b|\bwhat'?s (new|different)\b|\bsince when\b|\bdiff(erence)? between\b/;
const LOGS =
  /\b(show|give|print|tail|fetch|get|see|read|pull|paste|display)\b.{0,40}\b(logs?|events?|output|stack ?traces?)\b|\b(logs?|events?) (of|for|from|in)\b/;
const HEALTH =
  /\bhealthy\b|\bhealth ?check\b|\bstatus of\b|\banything wrong\b|\b(is|are)\b(?:\s+\S+){1,5}\s+(ok|okay|fine|up|working|alive|running|back to normal|recovered)\s*\?/;
const CAPACITY =
  /\b(not|isn'?t|aren'?t|won'?t|doesn'?t|don'?t|never|can'?t|cannot|fails? to|stuck) (auto)?scal(e|ing)|\b(hpa|autoscal\w*)\b|\b(not|isn'?t|aren'?t|won'?t|can'?t|cannot|fails? to|never) (get )?schedul(e|ed|ing)|\bunschedulable\b|\bstuck (in )?pending\b|\bpending pods?\b/;

/** The question's kind; an alert, an empty or unreadable prompt, or anything else asks "what is wrong". */
export function classifyQuestion(prompt: string, fromAlert: boolean): Question {
  if (fromAlert) return { kind: 'diagnose' };
  const text = prompt.toLowerCase().replace(/\s+/g, ' ').slice(0, 2000);
  const action = ACTIONS.find(([, re]) => re.test(text))?.[0];
  if (SAFETY.test(text) && action) {
    const replicas = action === 'scale' ? Number(/\b(?:to|=)\s*(\d{1,4})\b/.exec(text)?.[1] ?? NaN) : NaN;
    return { kind: 'safety', action, ...(Number.isFinite(replicas) ? { replicas } : {}) };
  }
  if (SAFETY.test(text) && /\b(it|this|that|the (fix|proposal|action|change))\b/.test(text))
    return { kind: 'safety' };
  if (CAPACITY.test(text)) return { kind: 'capacity' };
  if (LOGS.test(text)) return { kind: 'logs' };
  if (CHANGES.test(text)) return { kind: 'changes' };
  if (HEALTH.test(text)) return { kind: 'health' };
  return { kind: 'diagnose' };
}
