import {
  validateDefinition,
  validateDefinitions,
  type SegmentDefinition,
  type ValidationIssue,
} from '@kairos/segmentation/domain';
import type { SegmentKind } from './segment-definition.entity';

/** An admin request body: a SegmentDefinition plus, optionally, `kind` (default dynamic). */
export interface SegmentRequest {
  kind: SegmentKind;
  definition: SegmentDefinition;
}

export type RequestCheck =
  { ok: true; value: SegmentRequest } | { ok: false; issues: ValidationIssue[] };

/**
 * Validate a request body against the segment language and against the other active dynamic
 * definitions it will be evaluated with (`others`: references to unknown segments, cycles).
 * Issues carry JSON paths into the body as sent (`$.rules.and[1].value`), so an editor can point
 * at the spot. Static segments may read dynamic ones (`inSegment`); nothing may read a static one.
 */
export function checkSegmentRequest(
  body: unknown,
  others: readonly SegmentDefinition[],
): RequestCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return {
      ok: false,
      issues: [{ path: '$', message: 'expected a JSON object (a segment definition)' }],
    };
  const { kind = 'dynamic', ...rest } = body as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  if (kind !== 'dynamic' && kind !== 'static')
    issues.push({
      path: '$.kind',
      message: `kind must be 'dynamic' or 'static', got ${JSON.stringify(kind)}`,
    });
  const single = validateDefinition(rest);
  if (!single.ok) return { ok: false, issues: [...issues, ...single.issues] };
  const definition = single.value;
  const set = validateDefinitions([...others.filter((d) => d.id !== definition.id), definition]);
  if (!set.ok) {
    // Only what concerns this definition (the others were valid together before).
    for (const issue of set.issues)
      if (issue.segment === definition.id)
        issues.push({ path: issue.path, message: issue.message });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { kind: kind as SegmentKind, definition } };
}
