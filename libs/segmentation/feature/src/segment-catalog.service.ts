import { Injectable, Logger } from '@nestjs/common';
import {
  compileSegments,
  type SegmentDefinition,
  type SegmentProgram,
} from '@kairos/segmentation/domain';
import type { EntityManager } from 'typeorm';
import type { SegmentDefinitionEntity } from './segment-definition.entity';
import { SegmentDefinitionRepository } from './segment-definition.repository';

/** The active definitions, and the dynamic ones compiled. */
export interface Catalog {
  readonly revision: string;
  /** Every active dynamic definition, compiled (the evaluator's program). */
  readonly program: SegmentProgram;
  readonly definitions: readonly SegmentDefinitionEntity[];
}

/**
 * The compiled segment program, cached per definitions revision. Every transaction that
 * evaluates asks for the current catalog first (one small aggregate query), so a definition
 * changed on another replica is in effect for the next event everywhere — no restart, no
 * broadcast. Static segments are not in the program: they are never re-evaluated.
 */
@Injectable()
export class SegmentCatalog {
  private readonly logger = new Logger(SegmentCatalog.name);
  private cached: Catalog | undefined;

  constructor(private readonly definitions: SegmentDefinitionRepository) {}

  async current(manager: EntityManager): Promise<Catalog> {
    const revision = await this.definitions.revision(manager);
    if (this.cached?.revision === revision) return this.cached;
    const definitions = await this.definitions.active(manager);
    const program = compileProgram(
      definitions.filter((d) => d.kind === 'dynamic').map((d) => d.definition),
    );
    this.cached = { revision, program, definitions };
    this.logger.log(
      `segment program compiled: ${program.size} dynamic segment(s), revision ${revision}`,
    );
    return this.cached;
  }
}

/**
 * Compile stored definitions. They were validated as a set when written, so a failure here is
 * a bug (or a hand-edited row): it names every problem and stops evaluation rather than
 * silently evaluating a different set of segments.
 */
export function compileProgram(definitions: readonly SegmentDefinition[]): SegmentProgram {
  const compiled = compileSegments(definitions);
  if (!compiled.ok) {
    throw new Error(
      `stored segment definitions do not compile: ${compiled.issues
        .map((i) => `${i.segment ?? ''} ${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return compiled.value;
}
