import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { OutboxRelay } from '@kairos/persistence';
import { toFacts } from '@kairos/segmentation/domain';
import { DataSource } from 'typeorm';
import { ComputedTraitsRepository } from './computed-traits.repository';
import { HotCopyService } from './hot-copy.service';
import { MembershipRepository } from './membership.repository';
import { ProfileEvaluator } from './profile-evaluator';
import { toProfileSnapshot } from './profile-input';
import { compileProgram, SegmentCatalog } from './segment-catalog.service';
import type { SegmentDefinitionEntity } from './segment-definition.entity';
import { SegmentDefinitionRepository } from './segment-definition.repository';
import { SEGMENTATION_CONFIG, type SegmentationConfig } from './segmentation.config';

/**
 * Whole-population work owed after a definition changed (segment_definitions.evaluated_version
 * < version), in batches of profiles, one transaction per batch:
 *  - dynamic, created or updated: re-evaluate every profile against the current program (full
 *    evaluation, so only actual changes are announced, whatever the program was before);
 *  - static, created: the snapshot — every profile that existed when it was created and
 *    matches enters; nobody ever exits (until the segment is deleted);
 *  - deleted (either kind): every member exits.
 * Every step is idempotent (a profile already in/out is not announced again), so a job cut off
 * by a crash is simply run again from the start, and two replicas running it at once only
 * duplicate work. `evaluated_version` is set only if the definition did not change meanwhile.
 */
@Injectable()
export class RunSegmentJobsUseCase {
  private readonly logger = new Logger(RunSegmentJobsUseCase.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    private readonly definitions: SegmentDefinitionRepository,
    private readonly traits: ComputedTraitsRepository,
    private readonly memberships: MembershipRepository,
    private readonly catalog: SegmentCatalog,
    private readonly evaluator: ProfileEvaluator,
    private readonly hotCopy: HotCopyService,
    @Inject(SEGMENTATION_CONFIG) private readonly config: SegmentationConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Run every owed job; returns how many completed. */
  async runPending(): Promise<number> {
    const pending = await this.definitions.pending(this.dataSource.manager);
    for (const definition of pending) {
      const started = Date.now();
      let changes: number;
      if (definition.deletedAt) changes = await this.exitAll(definition);
      else if (definition.kind === 'static') changes = await this.snapshot(definition);
      else changes = await this.reevaluate(definition);
      await this.definitions.markEvaluated(
        this.dataSource.manager,
        definition.id,
        definition.version,
      );
      this.logger.log(
        `segment ${definition.id} v${definition.version} ${definition.deletedAt ? 'removed' : definition.kind === 'static' ? 'snapshot' : 're-evaluated'}: ${changes} membership change(s) in ${Date.now() - started} ms`,
      );
    }
    return pending.length;
  }

  private async reevaluate(definition: SegmentDefinitionEntity): Promise<number> {
    const causeId = `segment:${definition.id}:v${definition.version}`;
    let afterId: string | null = null;
    let changes = 0;
    for (;;) {
      const now = this.clock.now();
      const batch = await this.dataSource.transaction(async (manager) => {
        const { program } = await this.catalog.current(manager);
        const rows = await this.traits.page(manager, afterId, this.config.batchSize, {
          lock: true,
        });
        const out = {
          rows: rows.length,
          last: rows.at(-1)?.profileId ?? null,
          changes: 0,
          messages: 0,
          touched: [] as string[],
        };
        for (const stored of rows) {
          const r = await this.evaluator.apply(manager, program, {
            stored,
            traits: stored.traits,
            profile: stored.profile,
            profileVersion: stored.profileVersion,
            now,
            at: now,
            causeId,
            full: true,
          });
          out.changes += r.entered.length + r.exited.length;
          out.messages += r.messages;
          if (r.messages > 0 || r.primaryChanged) out.touched.push(stored.profileId);
        }
        return out;
      });
      changes += batch.changes;
      if (batch.messages > 0) this.relay.kick();
      await this.hotCopy.refresh(...batch.touched);
      if (batch.rows < this.config.batchSize || batch.last === null) return changes;
      afterId = batch.last;
    }
  }

  private async snapshot(definition: SegmentDefinitionEntity): Promise<number> {
    const causeId = `segment:${definition.id}:snapshot`;
    let afterId: string | null = null;
    let changes = 0;
    for (;;) {
      const now = this.clock.now();
      const batch = await this.dataSource.transaction(async (manager) => {
        const { definitions, program } = await this.catalog.current(manager);
        // The dynamic segments plus this one, so `inSegment` conditions read the same memberships.
        const withSnapshot = compileProgram([
          ...definitions.filter((d) => d.kind === 'dynamic').map((d) => d.definition),
          definition.definition,
        ]);
        const rows = await this.traits.page(manager, afterId, this.config.batchSize, {
          lock: true,
          createdUpTo: definition.createdAt,
        });
        const current = await this.memberships.segmentIdsOf(
          manager,
          rows.map((r) => r.profileId),
        );
        const out = {
          rows: rows.length,
          last: rows.at(-1)?.profileId ?? null,
          entered: [] as string[],
        };
        for (const stored of rows) {
          if (current.get(stored.profileId)?.includes(definition.id)) continue;
          const facts = toFacts(
            toProfileSnapshot(stored.profile),
            stored.traits,
            now.getTime(),
            program.factsOptions(),
          );
          if (!withSnapshot.evaluateAll(facts).includes(definition.id)) continue;
          await this.evaluator.enterStatic(manager, stored, definition.id, {
            now,
            at: now,
            causeId,
          });
          out.entered.push(stored.profileId);
        }
        return out;
      });
      changes += batch.entered.length;
      if (batch.entered.length > 0) this.relay.kick();
      await this.hotCopy.refresh(...batch.entered);
      if (batch.rows < this.config.batchSize || batch.last === null) return changes;
      afterId = batch.last;
    }
  }

  private async exitAll(definition: SegmentDefinitionEntity): Promise<number> {
    const causeId = `segment:${definition.id}:deleted`;
    let changes = 0;
    for (;;) {
      const now = this.clock.now();
      const batch = await this.dataSource.transaction(async (manager) => {
        const { program } = await this.catalog.current(manager);
        const members = await this.memberships.members(
          manager,
          definition.id,
          this.config.batchSize,
        );
        for (const profileId of members) {
          const stored = await this.traits.lock(manager, profileId);
          if (stored)
            await this.evaluator.exitSegments(manager, program, stored, [definition.id], {
              now,
              at: now,
              causeId,
            });
          else await this.memberships.exit(manager, profileId, [definition.id]);
        }
        return members;
      });
      changes += batch.length;
      if (batch.length > 0) this.relay.kick();
      await this.hotCopy.refresh(...batch);
      if (batch.length < this.config.batchSize) return changes;
    }
  }
}
