import type { Condition } from '@kairos/segmentation/domain';
import type { SegmentKind } from '../segment-definition.entity';
import type { DailyStats } from '../segment-stats';

/** A segment as the admin API shows it (see openapi.json, schema SegmentView). */
export interface SegmentView {
  id: string;
  name: string;
  description: string | null;
  priority: number;
  kind: SegmentKind;
  rules: Condition;
  version: number;
  builtIn: boolean;
  /** 'pending' while the re-evaluation / snapshot / exit of members for this version runs. */
  evaluation: 'pending' | 'done';
  /** Current members. */
  size: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface PreviewView {
  /** Profiles that would be members now. */
  count: number;
  /** Profiles looked at (every profile with traits). */
  total: number;
  /** Up to 20 member profile ids, in id order. */
  sample: string[];
  evaluatedAt: string;
}

export interface ValidationView {
  valid: boolean;
  issues: Array<{ path: string; message: string }>;
}

export interface StatsView {
  segmentId: string;
  size: number;
  days: DailyStats[];
}
