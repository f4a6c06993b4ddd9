import { checkMarketingEmail, type GuardProfile } from '../firing-guard';
import { checkFrequencyCap, type FrequencyCap, type LedgerSend } from './frequency-cap';
import { checkOverlap, type Contender } from './overlap';
import { describeQuietHours, nextAllowedMoment, type QuietHours } from './quiet-hours';
import { chooseSendTime, type SendTimeOptions } from './send-time';

/** A trigger definition as the guards need it. */
export interface FiringDefinition {
  id: string;
  enabled: boolean;
  category: 'marketing' | 'transactional';
  priority: number;
  /** Urgent sends (cart reminders, birthdays at 09:00, welcomes) are never shifted by STO. */
  urgent: boolean;
  /** Whether quiet hours apply (marketing only; default true). */
  quietHours: boolean;
}

export interface FiringInput {
  now: Date;
  definition: FiringDefinition | undefined;
  /** Whether send-time optimization already moved this timer (it moves a send once). */
  stoApplied: boolean;
  profile: GuardProfile | undefined;
  timeZone: string;
  ledger: readonly LedgerSend[];
  /** The person's other armed timers (for overlap). */
  upcoming: readonly Contender[];
  openHours: readonly number[];
  populationOpenHours: readonly number[];
  policy: {
    cap: FrequencyCap;
    quietHours: QuietHours | null;
    overlapWindowMs: number;
    sto: Omit<SendTimeOptions, 'quietHours'>;
  };
}

export type FiringVerdict =
  | { action: 'fire' }
  | { action: 'suppress'; reason: string }
  /** Re-arm at `until`: 'deferred' for quiet hours / overlap, 'moved' for send-time optimization. */
  | { action: 'defer'; decision: 'deferred' | 'moved'; until: Date; reason: string };

/**
 * Everything checked when a timer fires, in order, on data read fresh in the firing
 * transaction:
 *
 *  1. the definition is still enabled;
 *  2. consent (subscribed/unknown, an address, not bounced, not erased) — every category;
 *  then for marketing only:
 *  3. overlap — a higher-priority campaign in the same window wins;
 *  4. the frequency cap;
 *  5. quiet hours in the person's zone — defer to the next allowed moment, never drop;
 *  6. send-time optimization for non-urgent sends, once, within the bounded delay (and outside
 *     quiet hours, so it also picks the moment a quiet-hours deferral goes to).
 *
 * Suppressions are final for this timer; deferrals re-arm it and the whole check runs again
 * when it is due, so a cap or an unsubscribe that arrives meanwhile is still honoured.
 */
export function decideFiring(input: FiringInput): FiringVerdict {
  const { definition, now } = input;
  if (!definition || !definition.enabled) return { action: 'suppress', reason: 'trigger disabled' };
  const consent = checkMarketingEmail(input.profile);
  if (!consent.allowed) return { action: 'suppress', reason: consent.reason };
  if (definition.category === 'transactional') return { action: 'fire' };

  const overlap = checkOverlap(
    { definitionId: definition.id, priority: definition.priority },
    input.ledger,
    input.upcoming,
    now,
    input.policy.overlapWindowMs,
  );
  if (overlap.action === 'suppress') return overlap;
  if (overlap.action === 'defer')
    return { action: 'defer', decision: 'deferred', until: overlap.until, reason: overlap.reason };

  const cap = checkFrequencyCap(definition.category, input.ledger, now, input.policy.cap);
  if (!cap.allowed) return { action: 'suppress', reason: cap.reason };

  const quiet = definition.quietHours ? input.policy.quietHours : null;
  if (!definition.urgent && !input.stoApplied) {
    const choice = chooseSendTime(now, input.timeZone, input.openHours, input.populationOpenHours, {
      ...input.policy.sto,
      quietHours: quiet,
    });
    if (choice) {
      return {
        action: 'defer',
        decision: 'moved',
        until: choice.at,
        reason: `send-time optimization: most likely open hour ${String(choice.hour).padStart(2, '0')}:00 ${input.timeZone} (p=${choice.probability.toFixed(3)})`,
      };
    }
  }
  if (quiet) {
    const allowed = nextAllowedMoment(now, input.timeZone, quiet);
    if (allowed.getTime() > now.getTime()) {
      return {
        action: 'defer',
        decision: 'deferred',
        until: allowed,
        reason: `quiet hours ${describeQuietHours(quiet)} ${input.timeZone}`,
      };
    }
  }
  return { action: 'fire' };
}
