import type { QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { createDataSource, schemaOf } from './data-source';

describe(createDataSource.name, () => {
  const url = 'postgres://u:p@127.0.0.1:1/db';

  it('never synchronizes or runs migrations implicitly, keeps migrations in the schema, logs no SQL', () => {
    const options = createDataSource({
      url,
      schema: 'identity',
      entities: [],
      migrations: [],
      poolSize: 4,
      applicationName: 'kairos-identity',
    }).options as PostgresConnectionOptions;
    expect(options).toMatchObject({
      type: 'postgres',
      url,
      schema: 'identity',
      synchronize: false,
      migrationsRun: false,
      migrationsTableName: 'migrations',
      logging: false,
      extra: { max: 4, application_name: 'kairos-identity' },
    });
  });

  it("leaves pg's defaults alone when pool size and application name are not given", () => {
    const options = createDataSource({ url, schema: 's', entities: [], migrations: [] })
      .options as PostgresConnectionOptions;
    expect(options.extra).toEqual({});
  });

  it('rejects a schema that is not a plain identifier', () => {
    expect(() =>
      createDataSource({ url, schema: 'public"; --', entities: [], migrations: [] }),
    ).toThrow(/Invalid schema/);
  });
});

describe(schemaOf.name, () => {
  it("reads the schema from the migration's connection", () => {
    const dataSource = createDataSource({
      url: 'postgres://x@h/db',
      schema: 'pers_abc',
      entities: [],
      migrations: [],
    });
    expect(schemaOf({ connection: dataSource } as QueryRunner)).toBe('pers_abc');
  });

  it('fails clearly for a connection without a schema', () => {
    const connection = { options: { type: 'postgres' } };
    expect(() => schemaOf({ connection } as unknown as QueryRunner)).toThrow(
      /Invalid DataSource schema/,
    );
  });
});
