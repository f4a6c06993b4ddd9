import type Redis from 'ioredis';

/**
 * Delete every key under a test's prefix (its namespace), walking the keyspace with SCAN so a
 * shared Redis is never blocked the way KEYS would block it.
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
