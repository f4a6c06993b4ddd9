import { evaluateCondition, type Condition, type Facts } from './condition';

/** A content rule as stored: when `condition` holds, block `block` shows variant `variant`. */
export interface ContentRule {
  id: string;
  name: string;
  block: string;
  variant: string;
  /** Lower runs first; ties are broken by name, so the order is total and stable. */
  priority: number;
  condition: Condition;
  enabled: boolean;
}

/** The variant key every block has unless a rule says otherwise. */
export const DEFAULT_VARIANT = 'default';

export interface BlockChoice {
  variant: string;
  /** The rule that chose it; undefined when the default applied. */
  rule: { id: string; name: string } | undefined;
}

/** Rules in evaluation order (priority, then name). */
export function orderRules(rules: readonly ContentRule[]): ContentRule[] {
  return [...rules].sort(
    (a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/**
 * Which variant each block of a template shows for one person: the first enabled rule (in
 * priority order) for that block whose condition holds and whose variant the template version
 * actually has; otherwise the block's default (or, lacking one, its first variant). Rules
 * naming a variant the version does not have are skipped, so editing rules can never make a
 * send fail.
 */
export function selectVariants(
  blocks: readonly { block: string; variants: readonly string[] }[],
  orderedRules: readonly ContentRule[],
  facts: Facts,
  now: Date,
): Record<string, BlockChoice> {
  const choices: Record<string, BlockChoice> = {};
  for (const { block, variants } of blocks) {
    const rule = orderedRules.find(
      (r) =>
        r.enabled &&
        r.block === block &&
        variants.includes(r.variant) &&
        evaluateCondition(r.condition, facts, now),
    );
    choices[block] = rule
      ? { variant: rule.variant, rule: { id: rule.id, name: rule.name } }
      : {
          variant: variants.includes(DEFAULT_VARIANT) ? DEFAULT_VARIANT : (variants[0] ?? ''),
          rule: undefined,
        };
  }
  return choices;
}
