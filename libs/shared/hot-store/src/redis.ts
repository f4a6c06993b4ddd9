import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import Redis from 'ioredis';
import { HotKeys } from './keys';

export interface HotStoreOptions {
  url: string;
  keyPrefix: string;
}

export function createRedis(url: string): Redis {
  return new Redis(url, {
    // Fail calls fast when Redis is away instead of queueing them forever; callers treat the
    // hot store as a cache and fall back to Postgres.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
}

/** Nest token for the ioredis client. */
export const REDIS = Symbol('kairos.redis');

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Provides the Redis client ({@link REDIS}) and the key builder ({@link HotKeys}). */
@Global()
@Module({})
export class HotStoreModule {
  static forRoot(options: HotStoreOptions): DynamicModule {
    return {
      module: HotStoreModule,
      providers: [
        { provide: REDIS, useFactory: () => createRedis(options.url) },
        { provide: HotKeys, useValue: new HotKeys(options.keyPrefix) },
        RedisLifecycle,
      ],
      exports: [REDIS, HotKeys],
    };
  }
}
