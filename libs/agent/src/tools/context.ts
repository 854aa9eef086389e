// What a tool call can reach: the cluster (read-only, memoised per turn), the turn's shared state
// (findings, proposals, the report draft, blind spots) and the emitter that puts findings and
// proposals on the stream. Built once per turn by the engine; subagents share it.
import { type Finding, type Proposal } from '@foxhound/contracts';
import { type ClusterReader } from '../cluster/reader';
import { type TurnEmitter } from '../events/emitter';
import { type ReportDraft } from '../report/draft';

export interface ToolContext {
  cluster: ClusterReader;
  turn: TurnState;
  /** Emits on behalf of the role that called the tool. */
  emitter: TurnEmitter;
  signal: AbortSignal;
  now(): Date;
}

/** State one turn accumulates across roles; the final report is assembled from it. */
export class TurnState {
  readonly findings = new Map<string, Finding>();
  readonly proposals: Proposal[] = [];
  readonly notChecked = new Set<string>();
  report?: ReportDraft;

  constructor(
    /** Namespaces in scope; empty means every namespace the reader can see. */
    public scope: string[],
    /** What the turn is about (prompt and alert title): ranks the root causes it names first. */
    readonly focus: string = '',
  ) {}

  /**
   * Records a finding the first time its id is seen. Root causes are emitted as `finding` events;
   * symptoms (`causedBy` set) only join the report, grouped under their root cause.
   */
  async addFinding(finding: Finding, emitter: TurnEmitter): Promise<void> {
    if (this.findings.has(finding.id)) return;
    this.findings.set(finding.id, finding);
    if (finding.causedBy === undefined) await emitter.finding(finding);
  }

  /** Records a proposal and emits it, unless an identical action was already proposed. */
  async addProposal(proposal: Proposal, emitter: TurnEmitter): Promise<boolean> {
    const key = JSON.stringify(proposal.action);
    if (this.proposals.some((p) => JSON.stringify(p.action) === key)) return false;
    this.proposals.push(proposal);
    await emitter.proposal(proposal);
    return true;
  }

  /** Something the investigation could not look at, in words a human acts on. */
  blindSpot(what: string): void {
    this.notChecked.add(what);
  }
}
