import { isDeepStrictEqual } from 'node:util';
import { EMPTY_FIELDS, type FieldName, type ProfileState } from '../profile-state';

/**
 * The survivor's state once a merge is undone: every value the merge brought in from the merged
 * profile — recognizable because the survivor still holds it with exactly the merged profile's
 * event time — goes back to what the survivor held before the merge (or disappears, if it held
 * nothing). A value set again by an event after the merge has a different time and stays: it
 * is the survivor's own now.
 *
 * Without the survivor's pre-merge state (merges audited before versions kept field times) the
 * state is returned unchanged; the caller still moves the identifiers back.
 */
export function survivorStateAfterUnmerge(
  current: ProfileState,
  before: ProfileState | undefined,
  mergedLast: ProfileState,
): ProfileState {
  if (!before) return current;
  const next: ProfileState = {
    fields: { ...current.fields },
    traits: { ...current.traits },
    fieldTimes: { ...current.fieldTimes },
  };
  const cameFromMerged = (timeKey: string, now: unknown, theirs: unknown) =>
    current.fieldTimes[timeKey] !== undefined &&
    current.fieldTimes[timeKey] === mergedLast.fieldTimes[timeKey] &&
    before.fieldTimes[timeKey] !== current.fieldTimes[timeKey] &&
    isDeepStrictEqual(now, theirs);

  for (const name of Object.keys(EMPTY_FIELDS) as FieldName[]) {
    if (!cameFromMerged(name, current.fields[name], mergedLast.fields[name])) continue;
    (next.fields as unknown as Record<string, unknown>)[name] = before.fields[name];
    restoreTime(next, before, name);
  }
  for (const key of Object.keys(current.traits)) {
    const timeKey = `traits.${key}`;
    if (!cameFromMerged(timeKey, current.traits[key], mergedLast.traits[key])) continue;
    if (key in before.traits) next.traits[key] = before.traits[key];
    else delete next.traits[key];
    restoreTime(next, before, timeKey);
  }
  return next;
}

function restoreTime(next: ProfileState, before: ProfileState, timeKey: string): void {
  const held = before.fieldTimes[timeKey];
  if (held === undefined) delete next.fieldTimes[timeKey];
  else next.fieldTimes[timeKey] = held;
}
