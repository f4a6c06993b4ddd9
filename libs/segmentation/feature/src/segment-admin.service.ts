import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { Outbox } from '@kairos/persistence';
import { segmentReferences, toFacts, type SegmentDefinition } from '@kairos/segmentation/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { ComputedTraitsRepository } from './computed-traits.repository';
import type { PreviewView, SegmentView, StatsView, ValidationView } from './dto/segment.dto';
import { MembershipRepository } from './membership.repository';
import { toProfileSnapshot } from './profile-input';
import { compileProgram, SegmentCatalog } from './segment-catalog.service';
import type { SegmentDefinitionEntity } from './segment-definition.entity';
import { SegmentDefinitionRepository } from './segment-definition.repository';
import { checkSegmentRequest, type SegmentRequest } from './segment-request';
import { sizeOverTime } from './segment-stats';
import { SegmentationErrorCode, SegmentationException } from './segmentation.exception';
import { SEGMENTATION_CONFIG, type SegmentationConfig } from './segmentation.config';
import { SegmentationWorker } from './segmentation-worker';

export const PREVIEW_SAMPLE_SIZE = 20;

/**
 * The segment admin use cases. Writes change only the definition row (one short transaction);
 * the population work they cause (re-evaluation, static snapshot, exits of a deleted segment's
 * members) is owed via `evaluated_version` and done by the worker in batches, so a request
 * never holds locks on profiles.
 */
@Injectable()
export class SegmentAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly definitions: SegmentDefinitionRepository,
    private readonly traits: ComputedTraitsRepository,
    private readonly memberships: MembershipRepository,
    private readonly catalog: SegmentCatalog,
    private readonly worker: SegmentationWorker,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(SEGMENTATION_CONFIG) private readonly config: SegmentationConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async validate(body: unknown): Promise<ValidationView> {
    const result = checkSegmentRequest(
      body,
      await this.dynamicDefinitions(this.dataSource.manager),
    );
    return result.ok ? { valid: true, issues: [] } : { valid: false, issues: result.issues };
  }

  async create(body: unknown): Promise<SegmentView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const request = this.check(body, await this.dynamicDefinitions(manager));
      const id = request.definition.id;
      if (await this.definitions.find(manager, id))
        throw new SegmentationException(
          SegmentationErrorCode.SegmentExists,
          `segment '${id}' exists (or existed: ids of deleted segments are not reused); choose another id`,
        );
      await this.definitions.insert(manager, request.definition, request.kind, this.clock.now());
      return this.view(manager, await this.require(manager, id));
    });
    this.worker.kick();
    return view;
  }

  async preview(body: unknown): Promise<PreviewView> {
    const manager = this.dataSource.manager;
    const { definitions } = await this.catalog.current(manager);
    const request = this.check(body, await this.dynamicDefinitions(manager));
    const id = request.definition.id;
    const program = compileProgram([
      ...definitions.filter((d) => d.kind === 'dynamic' && d.id !== id).map((d) => d.definition),
      request.definition,
    ]);
    const now = this.clock.now();
    const sample: string[] = [];
    let count = 0;
    let total = 0;
    let afterId: string | null = null;
    for (;;) {
      const rows = await this.traits.page(manager, afterId, this.config.batchSize);
      for (const stored of rows) {
        const facts = toFacts(
          toProfileSnapshot(stored.profile),
          stored.traits,
          now.getTime(),
          program.factsOptions(),
        );
        if (!program.evaluateAll(facts).includes(id)) continue;
        count++;
        if (sample.length < PREVIEW_SAMPLE_SIZE) sample.push(stored.profileId);
      }
      total += rows.length;
      if (rows.length < this.config.batchSize) break;
      afterId = rows[rows.length - 1].profileId;
    }
    return { count, total, sample, evaluatedAt: now.toISOString() };
  }

  async get(id: string): Promise<SegmentView> {
    const manager = this.dataSource.manager;
    return this.view(manager, await this.require(manager, id));
  }

  async list(includeDeleted: boolean): Promise<SegmentView[]> {
    const manager = this.dataSource.manager;
    const rows = includeDeleted
      ? await this.definitions.all(manager)
      : await this.definitions.active(manager);
    return Promise.all(rows.map((row) => this.view(manager, row)));
  }

  async update(id: string, body: unknown): Promise<SegmentView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const current = await this.definitions.lock(manager, id);
      if (!current || current.deletedAt) throw notFound(id);
      const withId =
        typeof body === 'object' && body !== null && !Array.isArray(body) && !('id' in body)
          ? { ...body, id }
          : body;
      const request = this.check(withId, await this.dynamicDefinitions(manager));
      if (request.definition.id !== id)
        throw new SegmentationException(
          SegmentationErrorCode.InvalidRequest,
          `the body's id '${request.definition.id}' is not the segment's id '${id}' (ids cannot change; create a new segment)`,
        );
      if (request.kind !== current.kind)
        throw new SegmentationException(
          SegmentationErrorCode.StaticSegmentImmutable,
          `segment '${id}' is ${current.kind}; its kind cannot change (create a new segment)`,
        );
      if (
        current.kind === 'static' &&
        JSON.stringify(request.definition.rules) !== JSON.stringify(current.definition.rules)
      )
        throw new SegmentationException(
          SegmentationErrorCode.StaticSegmentImmutable,
          `segment '${id}' is a static snapshot: its rules cannot change (name, description and priority can); create a new static segment for a new snapshot`,
        );
      await this.definitions.update(manager, current, request.definition, this.clock.now());
      // A static segment's members never change on update: mark it evaluated right away.
      if (current.kind === 'static')
        await this.definitions.markEvaluated(manager, id, current.version + 1);
      return this.view(manager, await this.require(manager, id));
    });
    this.worker.kick();
    return view;
  }

  async remove(id: string): Promise<SegmentView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const current = await this.definitions.lock(manager, id);
      if (!current || current.deletedAt) throw notFound(id);
      const users = (await this.dynamicDefinitions(manager)).filter((d) =>
        segmentReferences(d.rules).some((ref) => ref.id === id),
      );
      if (users.length > 0)
        throw new SegmentationException(
          SegmentationErrorCode.SegmentInUse,
          `segment '${id}' is referenced (inSegment) by ${users.map((u) => `'${u.id}'`).join(', ')}: change or delete those first`,
        );
      await this.definitions.softDelete(manager, current, this.clock.now());
      return this.view(manager, await this.require(manager, id));
    });
    this.worker.kick();
    return view;
  }

  async stats(id: string, days: number): Promise<StatsView> {
    const manager = this.dataSource.manager;
    await this.require(manager, id);
    const now = this.clock.now();
    const today = now.toISOString().slice(0, 10);
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000);
    const size = await this.memberships.size(manager, id);
    const churn = await this.memberships.dailyChurn(manager, this.outbox.schema, id, from);
    return { segmentId: id, size, days: sizeOverTime(size, churn, today, days) };
  }

  private check(body: unknown, others: readonly SegmentDefinition[]): SegmentRequest {
    const result = checkSegmentRequest(body, others);
    if (result.ok) return result.value;
    throw new SegmentationException(
      SegmentationErrorCode.InvalidDefinition,
      `the segment definition is invalid (${result.issues.length} problem(s)); each issue names its JSON path`,
      result.issues,
    );
  }

  private async dynamicDefinitions(manager: EntityManager): Promise<SegmentDefinition[]> {
    return (await this.definitions.active(manager))
      .filter((d) => d.kind === 'dynamic')
      .map((d) => d.definition);
  }

  private async require(manager: EntityManager, id: string): Promise<SegmentDefinitionEntity> {
    const row = await this.definitions.find(manager, id);
    if (!row) throw notFound(id);
    return row;
  }

  private async view(manager: EntityManager, row: SegmentDefinitionEntity): Promise<SegmentView> {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      priority: row.priority,
      kind: row.kind,
      rules: row.definition.rules,
      version: row.version,
      builtIn: row.builtIn,
      evaluation: row.evaluatedVersion >= row.version ? 'done' : 'pending',
      size: await this.memberships.size(manager, row.id),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      deletedAt: row.deletedAt?.toISOString() ?? null,
    };
  }
}

function notFound(id: string): SegmentationException {
  return new SegmentationException(
    SegmentationErrorCode.SegmentNotFound,
    `no segment '${id}' (GET /admin/segments lists them)`,
  );
}
