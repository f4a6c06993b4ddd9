import { randomUUID } from 'node:crypto';
import { HotKeys, createRedis, type Redis } from '@kairos/hot-store';
import { createDataSource, prepareDatabase } from '@kairos/persistence';
import { dropSchema, testStack, uniqueName, deleteKeysWithPrefix } from '@kairos/testing';
import type { DataSource } from 'typeorm';
import { IDENTITY_ENTITIES, IDENTITY_MIGRATIONS } from './index';
import { rebuildHotStore } from './rebuild-hot-store';

describe(rebuildHotStore.name, () => {
  const schema = uniqueName('identity_rebuild');
  const keys = new HotKeys(`kairos:${uniqueName('rebuild')}:`);
  let dataSource: DataSource;
  let redis: Redis;

  beforeAll(async () => {
    dataSource = createDataSource({
      url: testStack.postgresUrl,
      schema,
      entities: IDENTITY_ENTITIES,
      migrations: IDENTITY_MIGRATIONS,
    });
    await prepareDatabase(dataSource);
    redis = createRedis(testStack.redisUrl);
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, `${keys.prefix}`);
    await redis.quit();
    await dataSource.destroy();
    await dropSchema(schema);
  });

  async function insertProfile(
    version: number,
    firstName: string,
    identifiers: [string, string][],
  ) {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO "${schema}".profiles (id, version, first_name, email, traits, created_at, updated_at)
       VALUES ($1, $2, $3, $4, '{"plan":"pro"}', now(), now())`,
      [id, version, firstName, `${firstName.toLowerCase()}@example.com`],
    );
    for (const [type, value] of identifiers) {
      await dataSource.query(
        `INSERT INTO "${schema}".identifiers (type, value, profile_id, first_seen_at) VALUES ($1, $2, $3, now())`,
        [type, value, id],
      );
    }
    return id;
  }

  it('writes every missing or older profile, keeps newer ones, removes orphans, in batches', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push(await insertProfile(3, `Person${i}`, [['user_id', `u${i}`]]));
    // Redis holds an older version of one profile, a newer one of another, and an orphan.
    await redis.hset(keys.profile(ids[0]), { profileId: ids[0], version: '2', firstName: 'Stale' });
    await redis.hset(keys.profile(ids[1]), { profileId: ids[1], version: '9', firstName: 'Newer' });
    const orphan = randomUUID();
    await redis.hset(keys.profile(orphan), { profileId: orphan, version: '1' });

    const batches: number[] = [];
    const counts = await rebuildHotStore(dataSource, redis, keys, {
      batchSize: 3,
      onBatch: (c) => batches.push(c.profiles),
    });

    expect(counts).toEqual({ profiles: 7, written: 6, upToDate: 1, orphansRemoved: 1 });
    expect(batches).toEqual([3, 6, 7]);
    expect(await redis.hgetall(keys.profile(ids[0]))).toEqual({
      profileId: ids[0],
      version: '3',
      firstName: 'Person0',
      email: 'person0@example.com',
      emailConsent: 'unknown',
      traits: '{"plan":"pro"}',
    });
    expect(await redis.hget(keys.profile(ids[1]), 'firstName')).toBe('Newer');
    for (const id of ids.slice(2)) expect(await redis.hget(keys.profile(id), 'version')).toBe('3');
    expect(await redis.exists(keys.profile(orphan))).toBe(0);

    // Running it again changes nothing.
    expect(await rebuildHotStore(dataSource, redis, keys)).toEqual({
      profiles: 7,
      written: 0,
      upToDate: 7,
      orphansRemoved: 0,
    });
  });
});
