import { TriggerKind } from '@kairos/contracts';
import { z } from 'zod';

/** The body of PUT /admin/triggers/:id (create or replace a trigger definition). */
export const UpsertTriggerDefinition = z
  .object({
    kind: TriggerKind,
    template: z.string().min(1).max(200),
    category: z.enum(['marketing', 'transactional']),
    priority: z.number().int().min(0).max(1000),
    enabled: z.boolean().default(true),
    segmentId: z.string().min(1).max(200).nullable().default(null),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((d) => (d.kind === 'segment_entered') === (d.segmentId !== null), {
    message: 'segmentId is required for kind segment_entered and only allowed there',
    path: ['segmentId'],
  });
export type UpsertTriggerDefinition = z.infer<typeof UpsertTriggerDefinition>;

/** A trigger definition as the admin API shows it. */
export interface TriggerDefinitionView extends UpsertTriggerDefinition {
  id: string;
  updatedAt: string;
}
