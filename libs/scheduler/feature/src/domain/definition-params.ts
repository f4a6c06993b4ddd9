import type { TriggerKind } from '@kairos/contracts';
import type { FiringDefinition } from './firing-decision';

/** A trigger definition as stored (params are free-form JSON, read here with defaults). */
export interface DefinitionLike {
  id: string;
  kind: TriggerKind;
  category: 'marketing' | 'transactional';
  priority: number;
  enabled: boolean;
  params: Record<string, unknown>;
}

/** Kinds whose timing is the point (a cart reminder, 09:00 on the birthday, a welcome): no STO. */
const URGENT_BY_DEFAULT: ReadonlySet<TriggerKind> = new Set([
  'abandoned_cart',
  'birthday',
  'welcome',
]);

export function numberParam(
  params: Record<string, unknown>,
  key: string,
  fallback: number,
): number {
  const value = params[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function booleanParam(
  params: Record<string, unknown>,
  key: string,
  fallback: boolean,
): boolean {
  const value = params[key];
  return typeof value === 'boolean' ? value : fallback;
}

export function stringParam(
  params: Record<string, unknown>,
  key: string,
  fallback: string,
): string {
  const value = params[key];
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}

/** The guard's view of a definition: urgent and quietHours come from params, with kind defaults. */
export function firingDefinitionOf(
  definition: DefinitionLike | undefined,
): FiringDefinition | undefined {
  if (!definition) return undefined;
  return {
    id: definition.id,
    enabled: definition.enabled,
    category: definition.category,
    priority: definition.priority,
    urgent: booleanParam(definition.params, 'urgent', URGENT_BY_DEFAULT.has(definition.kind)),
    quietHours: booleanParam(definition.params, 'quietHours', true),
  };
}
