/**
 * Consumer-group ids, one per service. Like topics, they get the deployment's namespace as a
 * prefix at runtime so parallel environments never share offsets.
 */
export const ConsumerGroups = {
  Ingest: 'kairos.ingest',
  IdentityResolution: 'kairos.identity-resolution',
  Segmentation: 'kairos.segmentation',
  Recommender: 'kairos.recommender',
  TriggerScheduler: 'kairos.trigger-scheduler',
  Renderer: 'kairos.renderer',
} as const;

export type ConsumerGroupId = (typeof ConsumerGroups)[keyof typeof ConsumerGroups];

export function physicalGroup(group: ConsumerGroupId, namespace: string): string {
  return namespace ? `${namespace}.${group}` : group;
}
