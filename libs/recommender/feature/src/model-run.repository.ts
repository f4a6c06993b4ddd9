import { Injectable } from '@nestjs/common';
import { dataSourceSchema, qualifiedTable } from '@kairos/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import type { ModelRunStatus } from './model-run.entity';

/** A registry row as the API and the CLI show it. */
export interface ModelRun {
  id: string;
  trigger: string;
  status: ModelRunStatus;
  startedAt: string;
  finishedAt: string | null;
  referenceTime: string;
  parameters: Record<string, unknown>;
  users: number | null;
  items: number | null;
  nnz: number | null;
  durationMs: number | null;
  metrics: Record<string, unknown> | null;
  error: string | null;
}

interface RunRow {
  id: string;
  trigger: string;
  status: ModelRunStatus;
  started_at: Date;
  finished_at: Date | null;
  reference_time: Date;
  parameters: Record<string, unknown>;
  users: number | null;
  items: number | null;
  nnz: number | null;
  duration_ms: number | null;
  metrics: Record<string, unknown> | null;
  error: string | null;
}

export interface StoredArtifact {
  runId: string;
  referenceTime: Date;
  parameters: Record<string, unknown>;
  factors: number;
  itemIds: string[];
  itemFactors: Float32Array;
}

/** Stored factor layout: float32, little-endian, row-major (item × factor). */
export const ARTIFACT_FORMAT = 'f32le-v1';

/** How many runs keep their factors (older artifacts are deleted; their registry rows stay). */
const KEEP_ARTIFACTS = 3;

/** `model_runs`, `model_artifacts` and `model_evaluations`, plus the training lock. */
@Injectable()
export class ModelRunRepository {
  private readonly schema: string;
  private readonly runs: string;
  private readonly artifacts: string;
  private readonly evaluations: string;

  constructor(private readonly dataSource: DataSource) {
    this.schema = dataSourceSchema(dataSource);
    this.runs = qualifiedTable(this.schema, 'model_runs');
    this.artifacts = qualifiedTable(this.schema, 'model_artifacts');
    this.evaluations = qualifiedTable(this.schema, 'model_evaluations');
  }

  /**
   * Runs `fn` holding the schema's training lock (a session advisory lock on its own connection),
   * or returns undefined at once when another process or request holds it: at most one training
   * per schema at a time, whoever starts it (schedule, endpoint, command, another instance).
   */
  async withTrainingLock<T>(fn: () => Promise<T>): Promise<{ value: T } | undefined> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const key = `kairos:${this.schema}:recommender-train`;
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        key,
      ])) as { locked: boolean }[];
      if (!row?.locked) return undefined;
      try {
        return { value: await fn() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * A new 'running' row. Called under the training lock, so any other 'running' row belongs to a
   * process that died mid-run: those are closed as failed.
   */
  async start(run: {
    id: string;
    trigger: string;
    startedAt: Date;
    referenceTime: Date;
    parameters: Record<string, unknown>;
  }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE ${this.runs} SET status = 'failed', finished_at = $1,
           error = 'abandoned: the training process ended before finishing'
         WHERE status = 'running'`,
        [run.startedAt],
      );
      await manager.query(
        `INSERT INTO ${this.runs} (id, trigger, status, started_at, reference_time, parameters)
         VALUES ($1, $2, 'running', $3, $4, $5::jsonb)`,
        [run.id, run.trigger, run.startedAt, run.referenceTime, JSON.stringify(run.parameters)],
      );
    });
  }

  /** The trained factors of a run (in the caller's transaction, with the run's sizes). */
  async saveArtifact(
    manager: EntityManager,
    artifact: {
      runId: string;
      factors: number;
      itemIds: readonly string[];
      itemFactors: Float32Array;
      alsConfig: object;
      users: number;
      items: number;
      nnz: number;
    },
  ): Promise<void> {
    const f = artifact.itemFactors;
    await manager.query(
      `INSERT INTO ${this.artifacts} (run_id, format, factors, item_ids, item_factors, als_config)
       VALUES ($1, $2, $3, $4::text[], $5, $6::jsonb)`,
      [
        artifact.runId,
        ARTIFACT_FORMAT,
        artifact.factors,
        artifact.itemIds,
        float32ToBytes(f),
        JSON.stringify(artifact.alsConfig),
      ],
    );
    await manager.query(`UPDATE ${this.runs} SET users = $2, items = $3, nnz = $4 WHERE id = $1`, [
      artifact.runId,
      artifact.users,
      artifact.items,
      artifact.nnz,
    ]);
  }

  async succeed(id: string, finishedAt: Date, durationMs: number, metrics: object): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `UPDATE ${this.runs} SET status = 'succeeded', finished_at = $2, duration_ms = $3, metrics = $4::jsonb
         WHERE id = $1`,
        [id, finishedAt, Math.round(durationMs), JSON.stringify(metrics)],
      );
      await manager.query(
        `DELETE FROM ${this.artifacts} WHERE run_id NOT IN (
           SELECT a.run_id FROM ${this.artifacts} a JOIN ${this.runs} r ON r.id = a.run_id
           WHERE r.status = 'succeeded' ORDER BY r.started_at DESC LIMIT $1)`,
        [KEEP_ARTIFACTS],
      );
    });
  }

  async fail(id: string, finishedAt: Date, durationMs: number, error: string): Promise<void> {
    await this.dataSource.manager.query(
      `UPDATE ${this.runs} SET status = 'failed', finished_at = $2, duration_ms = $3, error = $4
       WHERE id = $1`,
      [id, finishedAt, Math.round(durationMs), error.slice(0, 2000)],
    );
  }

  async get(id: string): Promise<ModelRun | undefined> {
    const rows = await this.dataSource.manager.query<RunRow[]>(
      `SELECT * FROM ${this.runs} WHERE id = $1`,
      [id],
    );
    return rows[0] && toRun(rows[0]);
  }

  async list(limit: number): Promise<ModelRun[]> {
    const rows = await this.dataSource.manager.query<RunRow[]>(
      `SELECT * FROM ${this.runs} ORDER BY started_at DESC, id LIMIT $1`,
      [limit],
    );
    return rows.map(toRun);
  }

  /** Id and finish time of the newest succeeded run that still has its factors. */
  async latestServable(): Promise<{ runId: string; finishedAt: Date } | undefined> {
    const rows = await this.dataSource.manager.query<{ id: string; finished_at: Date }[]>(
      `SELECT r.id, r.finished_at FROM ${this.runs} r JOIN ${this.artifacts} a ON a.run_id = r.id
       WHERE r.status = 'succeeded' ORDER BY r.started_at DESC LIMIT 1`,
    );
    return rows[0] && { runId: rows[0].id, finishedAt: rows[0].finished_at };
  }

  /** When the newest run of any outcome started (the schedule counts from it). */
  async lastStartedAt(): Promise<Date | undefined> {
    const rows = await this.dataSource.manager.query<{ started_at: Date }[]>(
      `SELECT started_at FROM ${this.runs} ORDER BY started_at DESC LIMIT 1`,
    );
    return rows[0]?.started_at;
  }

  async artifact(runId: string): Promise<StoredArtifact | undefined> {
    const rows = await this.dataSource.manager.query<
      {
        run_id: string;
        reference_time: Date;
        parameters: Record<string, unknown>;
        format: string;
        factors: number;
        item_ids: string[];
        item_factors: Buffer;
      }[]
    >(
      `SELECT a.run_id, r.reference_time, r.parameters, a.format, a.factors, a.item_ids, a.item_factors
       FROM ${this.artifacts} a JOIN ${this.runs} r ON r.id = a.run_id WHERE a.run_id = $1`,
      [runId],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.format !== ARTIFACT_FORMAT)
      throw new Error(`run ${runId}: unknown artifact format ${row.format}`);
    return {
      runId: row.run_id,
      referenceTime: row.reference_time,
      parameters: row.parameters,
      factors: row.factors,
      itemIds: row.item_ids,
      itemFactors: bytesToFloat32(row.item_factors),
    };
  }

  async saveEvaluation(evaluation: {
    id: string;
    createdAt: Date;
    parameters: object;
    results: unknown[];
    outputDir: string;
  }): Promise<void> {
    await this.dataSource.manager.query(
      `INSERT INTO ${this.evaluations} (id, created_at, parameters, results, output_dir)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)`,
      [
        evaluation.id,
        evaluation.createdAt,
        JSON.stringify(evaluation.parameters),
        JSON.stringify(evaluation.results),
        evaluation.outputDir,
      ],
    );
  }
}

/** float32 → little-endian bytes (explicit, not the platform's order). */
export function float32ToBytes(values: Float32Array): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) bytes.writeFloatLE(values[i], i * 4);
  return bytes;
}

export function bytesToFloat32(bytes: Buffer): Float32Array {
  if (bytes.length % 4 !== 0) throw new RangeError(`${bytes.length} bytes is not whole float32s`);
  const values = new Float32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i++) values[i] = bytes.readFloatLE(i * 4);
  return values;
}

function toRun(row: RunRow): ModelRun {
  return {
    id: row.id,
    trigger: row.trigger,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
    referenceTime: row.reference_time.toISOString(),
    parameters: row.parameters,
    users: row.users,
    items: row.items,
    nnz: row.nnz,
    durationMs: row.duration_ms,
    metrics: row.metrics,
    error: row.error,
  };
}
