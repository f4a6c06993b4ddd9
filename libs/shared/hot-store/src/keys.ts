/**
 * Redis keys, built in one place. Keys are `<prefix><service>:<entity>:<id>`; the prefix comes
 * from configuration (`kairos:` plus the deployment namespace), so test runs and environments
 * sharing one Redis never collide.
 *
 * The hot store is a cache of what the renderer needs at send time; every key here can be
 * rebuilt from Postgres or Kafka. Writers: identity (profile), segmentation (traits, segments),
 * recommender (recommendations); reader at send time: renderer.
 */
export class HotKeys {
  constructor(readonly prefix: string) {
    if (!/^[a-zA-Z0-9:._-]*$/.test(prefix))
      throw new Error(`invalid Redis key prefix ${JSON.stringify(prefix)}`);
  }

  /** Hash: the unified profile (typed fields + traits), written by identity-resolution. */
  profile(profileId: string): string {
    return `${this.prefix}identity:profile:${profileId}`;
  }

  /** Hash: computed traits, written by segmentation. */
  traits(profileId: string): string {
    return `${this.prefix}segmentation:traits:${profileId}`;
  }

  /** Set: ids of the segments the profile is in, written by segmentation. */
  segments(profileId: string): string {
    return `${this.prefix}segmentation:segments:${profileId}`;
  }

  /** String (JSON array): top-N recommendations with score and reason, written by recommender. */
  recommendations(profileId: string): string {
    return `${this.prefix}recommender:top:${profileId}`;
  }

  /** String: marks a messageId as seen, with a TTL, for ingest's duplicate filter. */
  dedupe(messageId: string): string {
    return `${this.prefix}ingest:dedupe:${messageId}`;
  }

  /** Pattern matching every key of one service, for rebuild/cleanup commands. */
  pattern(service: 'identity' | 'segmentation' | 'recommender' | 'ingest'): string {
    return `${this.prefix}${service}:*`;
  }
}
