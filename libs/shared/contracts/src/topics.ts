/**
 * Every Kafka topic Kairos uses, written here and nowhere else.
 *
 * These are *logical* names. At runtime the messaging library prefixes them with the
 * deployment's topic namespace (`KAIROS_TOPIC_NAMESPACE`), so tests and parallel environments
 * can share one cluster without seeing each other's messages.
 */
export const Topics = {
  /** Raw Segment-spec events from upstream systems (and the renderer's engagement events). */
  EventsRaw: 'events.raw.v1',
  /** Validated, normalized events; keyed by the best identifier the event carries. */
  EventsAccepted: 'events.accepted.v1',
  /** Ingest's dead-letter topic: invalid events with a machine-readable reason. */
  EventsRejected: 'events.rejected.v1',
  /** Accepted events attributed to one profile; keyed by profileId. */
  EventsResolved: 'events.resolved.v1',
  /** Latest state of every profile; compacted, keyed by profileId. */
  ProfileChanges: 'profiles.changes.v1',
  /** Profile merges, so downstream services can move state. Keyed by the surviving profileId. */
  IdentityMerges: 'identity.merges.v1',
  /** Segment entered/exited changes; keyed by profileId. */
  SegmentMemberships: 'segments.memberships.v1',
  /** Product catalog; compacted, keyed by productId. */
  CatalogProducts: 'catalog.products.v1',
  /** Requests for one message to one person; keyed by profileId. */
  MessagesRequested: 'messages.requested.v1',
  /** What happened to each message request (sent, held, failed); keyed by profileId. */
  MessagesOutcomes: 'messages.outcomes.v1',
  /** Generic dead-letter topic for messages a consumer could not handle. */
  DeadLetter: 'dead-letter.v1',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

export interface TopicSpec {
  readonly name: TopicName;
  readonly partitions: number;
  /** Compacted topics keep the latest value per key (state), others keep a time window (log). */
  readonly compacted: boolean;
}

const LOG_PARTITIONS = 6;

/** How each topic is created. Keyed topics keep one key's messages in order on one partition. */
export const TOPIC_SPECS: readonly TopicSpec[] = [
  { name: Topics.EventsRaw, partitions: LOG_PARTITIONS, compacted: false },
  { name: Topics.EventsAccepted, partitions: LOG_PARTITIONS, compacted: false },
  { name: Topics.EventsRejected, partitions: 1, compacted: false },
  { name: Topics.EventsResolved, partitions: LOG_PARTITIONS, compacted: false },
  { name: Topics.ProfileChanges, partitions: LOG_PARTITIONS, compacted: true },
  { name: Topics.IdentityMerges, partitions: LOG_PARTITIONS, compacted: false },
  { name: Topics.SegmentMemberships, partitions: LOG_PARTITIONS, compacted: false },
  { name: Topics.CatalogProducts, partitions: 3, compacted: true },
  { name: Topics.MessagesRequested, partitions: LOG_PARTITIONS, compacted: false },
  { name: Topics.MessagesOutcomes, partitions: LOG_PARTITIONS, compacted: false },
  { name: Topics.DeadLetter, partitions: 1, compacted: false },
];

/** The physical topic name for a logical one in a namespace ('' = no namespace). */
export function physicalTopic(topic: TopicName, namespace: string): string {
  return namespace ? `${namespace}.${topic}` : topic;
}

/** The inverse of {@link physicalTopic}; undefined for a topic outside the namespace. */
export function logicalTopic(physical: string, namespace: string): TopicName | undefined {
  const prefix = namespace ? `${namespace}.` : '';
  if (!physical.startsWith(prefix)) return undefined;
  const name = physical.slice(prefix.length);
  return TOPIC_SPECS.find((spec) => spec.name === name)?.name;
}
