import type { MessageOutcome } from '@kairos/contracts';
import type { DecisionKind } from '../decision.entity';
import type { TimerKind } from '../timer.entity';

/** One ledger row as the admin API shows it. */
export interface DecisionView {
  id: string;
  profileId: string;
  timerId: string | null;
  kind: TimerKind;
  definitionId: string | null;
  decision: DecisionKind;
  reason: string | null;
  at: string;
  /** For armed/moved/deferred: when the timer is due now. */
  dueAt: string | null;
  /** What the renderer reported for a 'fired' decision, once it has. */
  outcome: MessageOutcome['status'] | null;
  outcomeReason: string | null;
  outcomeAt: string | null;
}
