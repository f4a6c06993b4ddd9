/**
 * Kafka header names. Events use the CloudEvents Kafka binding in binary mode (`ce_*`), plus the
 * W3C trace-context headers so one event is one trace across all services.
 */
export const Headers = {
  CeSpecVersion: 'ce_specversion',
  CeId: 'ce_id',
  CeType: 'ce_type',
  CeSource: 'ce_source',
  CeTime: 'ce_time',
  ContentType: 'content-type',
  TraceParent: 'traceparent',
  TraceState: 'tracestate',
  /** Dead-letter headers: why, from where, after how many attempts. */
  DlqReasonCode: 'kairos_dlq_reason_code',
  DlqReason: 'kairos_dlq_reason',
  DlqOriginalTopic: 'kairos_dlq_original_topic',
  DlqOriginalPartition: 'kairos_dlq_original_partition',
  DlqOriginalOffset: 'kairos_dlq_original_offset',
  DlqConsumerGroup: 'kairos_dlq_consumer_group',
  DlqAttempts: 'kairos_dlq_attempts',
  DlqFailedAt: 'kairos_dlq_failed_at',
} as const;

export const CLOUDEVENTS_SPEC_VERSION = '1.0';

/** CloudEvents `type` values, one per payload kind. */
export const EventTypes = {
  RawEvent: 'io.kairos.event.raw.v1',
  AcceptedEvent: 'io.kairos.event.accepted.v1',
  RejectedEvent: 'io.kairos.event.rejected.v1',
  ResolvedEvent: 'io.kairos.event.resolved.v1',
  ProfileChanged: 'io.kairos.profile.changed.v1',
  ProfilesMerged: 'io.kairos.identity.merged.v1',
  MembershipChanged: 'io.kairos.segment.membership.v1',
  ProductUpserted: 'io.kairos.catalog.product.v1',
  MessageRequested: 'io.kairos.message.requested.v1',
  MessageOutcome: 'io.kairos.message.outcome.v1',
  DeadLetter: 'io.kairos.dead-letter.v1',
} as const;

export type EventType = (typeof EventTypes)[keyof typeof EventTypes];
