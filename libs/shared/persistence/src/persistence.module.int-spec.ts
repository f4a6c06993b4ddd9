import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventTypes, Topics } from '@kairos/contracts';
import { dropSchema, pgQuery, testStack, uniqueName, waitFor } from '@kairos/testing';
import {
  Column,
  DataSource,
  Entity,
  PrimaryColumn,
  type MigrationInterface,
  type QueryRunner,
} from 'typeorm';
import { schemaOf } from './data-source';
import { Outbox } from './outbox';
import {
  PERSISTENCE_OPTIONS,
  PersistenceModule,
  type PersistenceModuleOptions,
} from './persistence.module';
import { ProcessedEvents } from './processed-events';
import { CreateOutboxTables1700000000000 } from './testing/fixtures';

@Entity({ name: 'widgets' })
class Widget {
  @PrimaryColumn('text')
  id!: string;

  @Column('int')
  size!: number;
}

class CreateWidgets1700000000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "${schemaOf(q)}".widgets (id text PRIMARY KEY, size int NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "${schemaOf(q)}".widgets`);
  }
}

/** What a service's use case looks like: state change and message in one transaction. */
@Injectable()
class WidgetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  create(id: string, size: number): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Widget).insert({ id, size });
      await this.outbox.add(manager, Topics.CatalogProducts, [
        { key: id, value: { productId: id }, type: EventTypes.ProductUpserted },
      ]);
    });
  }
}

describe(PersistenceModule.name, () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });

  function options(overrides: Partial<PersistenceModuleOptions> = {}): PersistenceModuleOptions {
    const schema = uniqueName('pers');
    schemas.push(schema);
    return {
      url: testStack.postgresUrl,
      schema,
      entities: [Widget],
      migrations: [CreateOutboxTables1700000000000, CreateWidgets1700000000001],
      poolSize: 3,
      applicationName: 'kairos-persistence-module-test',
      migrateOnStart: true,
      ...overrides,
    };
  }

  it('provides a migrated DataSource, Outbox and ProcessedEvents for the schema, and closes the pool on shutdown', async () => {
    const opts = options();
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot(opts)],
      providers: [WidgetService],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();

    const dataSource = app.get(DataSource);
    expect(dataSource.isInitialized).toBe(true);
    expect(app.get(Outbox).schema).toBe(opts.schema);
    expect(app.get(ProcessedEvents).schema).toBe(opts.schema);
    expect(app.get<PersistenceModuleOptions>(PERSISTENCE_OPTIONS).schema).toBe(opts.schema);

    await app.get(WidgetService).create('w1', 3);
    const widgets = await pgQuery<{ id: string; size: number }>(
      `SELECT id, size FROM "${opts.schema}".widgets`,
    );
    expect(widgets).toEqual([{ id: 'w1', size: 3 }]);
    const outbox = await pgQuery<{ topic: string; msg_key: string; published_at: Date | null }>(
      `SELECT topic, msg_key, published_at FROM "${opts.schema}".outbox`,
    );
    expect(outbox).toEqual([{ topic: Topics.CatalogProducts, msg_key: 'w1', published_at: null }]);
    const sessions = await pgQuery('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [
      opts.applicationName,
    ]);
    expect(sessions.length).toBeGreaterThan(0);

    await app.close();
    expect(dataSource.isInitialized).toBe(false);
  });

  it('leaves the schema alone when migrateOnStart is off', async () => {
    const opts = options({ migrateOnStart: false });
    const moduleRef = await Test.createTestingModule({
      imports: [PersistenceModule.forRoot(opts)],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const exists = await pgQuery(
      'SELECT 1 FROM information_schema.schemata WHERE schema_name = $1',
      [opts.schema],
    );
    expect(exists).toEqual([]);
    await app.close();
  });

  it('fails to start, naming the problem, when a migration fails', async () => {
    class Broken1700000000009 implements MigrationInterface {
      async up(q: QueryRunner): Promise<void> {
        await q.query('SELECT * FROM no_such_table');
      }
      async down(): Promise<void> {}
    }
    const opts = options({ migrations: [CreateOutboxTables1700000000000, Broken1700000000009] });
    await expect(
      Test.createTestingModule({ imports: [PersistenceModule.forRoot(opts)] }).compile(),
    ).rejects.toThrow(/no_such_table/);
    // The pool was closed, not leaked (backends exit asynchronously, hence the wait).
    await waitFor(
      async () =>
        (
          await pgQuery('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [
            opts.applicationName,
          ])
        ).length === 0,
      { description: 'no sessions left from the failed start' },
    );
  });
});
