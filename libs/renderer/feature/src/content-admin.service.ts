import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import { DataSource } from 'typeorm';
import { ContentRuleRepository } from './content-rule.repository';
import type { ContentRuleEntity } from './content-rule.entity';
import { ContentRepository } from './content.repository';
import type {
  CreateTemplateVersionDto,
  SaveBlockDto,
  SaveBrandDto,
  SaveRuleDto,
  SaveVariantDto,
} from './dto/content-admin.dto';
import { EmailRenderer } from './email-renderer';
import { RendererErrorCode, RendererException } from './renderer.exception';
import { TemplateCatalog } from './template-catalog.service';
import { TemplateCompileError, compileTemplate, slotsOf } from './template-compiler';
import { TemplateRepository } from './template.repository';

export interface TemplateVersionView {
  name: string;
  version: number;
  status: 'draft' | 'approved';
  subject: string;
  brand: string;
  createdAt: string;
  approvedAt: string | null;
}

/**
 * Managing content: brands, blocks and variants (live data), template versions (immutable; a
 * draft snapshots its blocks and is compiled — and so validated — when created; approval makes
 * it the version that sends), and content rules. Changes to rules and brands reach sends at once
 * in this process and within seconds elsewhere (the catalog's cache).
 */
@Injectable()
export class ContentAdminService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly content: ContentRepository,
    private readonly rules: ContentRuleRepository,
    private readonly templates: TemplateRepository,
    private readonly catalog: TemplateCatalog,
  ) {}

  async listBrands() {
    return this.content.brands(this.dataSource.manager);
  }

  async saveBrand(key: string, dto: SaveBrandDto): Promise<void> {
    await this.content.saveBrand(this.dataSource.manager, {
      key,
      ...dto,
      websiteUrl: dto.websiteUrl.replace(/\/+$/, ''),
      updatedAt: this.clock.now(),
    });
    this.catalog.invalidateContent();
  }

  async listBlocks() {
    const blocks = await this.content.blocks(this.dataSource.manager);
    return blocks.map(({ block, variants }) => ({
      key: block.key,
      description: block.description,
      required: block.required,
      fallback: block.fallback,
      variants: variants.map((v) => ({
        variant: v.variant,
        description: v.description,
        mjml: v.mjml,
      })),
    }));
  }

  async saveBlock(key: string, dto: SaveBlockDto): Promise<void> {
    await this.content.saveBlock(this.dataSource.manager, {
      key,
      description: dto.description,
      required: dto.required,
      fallback: dto.fallback,
      updatedAt: this.clock.now(),
    });
  }

  async saveVariant(block: string, variant: string, dto: SaveVariantDto): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.content.blockExists(manager, block)))
        throw new RendererException(
          RendererErrorCode.NotFound,
          `no block "${block}"; create it first`,
        );
      await this.content.saveVariant(manager, {
        blockKey: block,
        variant,
        description: dto.description,
        mjml: dto.mjml,
        updatedAt: this.clock.now(),
      });
    });
  }

  /**
   * A new draft version: snapshot the blocks its slots name, compile the MJML and parse the
   * Liquid now, so a broken template is refused here (400 with every problem) rather than
   * discovered at send time.
   */
  async createVersion(name: string, dto: CreateTemplateVersionDto): Promise<TemplateVersionView> {
    const manager = this.dataSource.manager;
    if (!(await this.content.brand(manager, dto.brand)))
      throw new RendererException(RendererErrorCode.Invalid, `brand: no brand "${dto.brand}"`);
    const blocks = await this.content.snapshot(manager, slotsOf(dto.layout));
    let compiled;
    try {
      compiled = await compileTemplate(dto.layout, blocks);
      new EmailRenderer().prepare('validation', dto.subject, compiled);
    } catch (error) {
      const message =
        error instanceof TemplateCompileError
          ? error.message
          : `Liquid: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      throw new RendererException(RendererErrorCode.TemplateInvalid, message);
    }
    const now = this.clock.now();
    let version: number;
    try {
      version = await this.templates.createDraft(manager, {
        name,
        subject: dto.subject,
        layout: dto.layout,
        brandKey: dto.brand,
        blocks,
        compiled,
        createdAt: now,
      });
    } catch (error) {
      if ((error as { code?: string }).code === '23505')
        throw new RendererException(
          RendererErrorCode.Conflict,
          `another version of "${name}" was created at the same time; retry`,
        );
      throw error;
    }
    return {
      name,
      version,
      status: 'draft',
      subject: dto.subject,
      brand: dto.brand,
      createdAt: now.toISOString(),
      approvedAt: null,
    };
  }

  async approve(name: string, version: number): Promise<TemplateVersionView> {
    const manager = this.dataSource.manager;
    if (!(await this.templates.approve(manager, name, version, this.clock.now())))
      throw new RendererException(RendererErrorCode.NotFound, `no version ${version} of "${name}"`);
    const row = await this.templates.find(manager, name, version);
    if (!row)
      throw new RendererException(RendererErrorCode.NotFound, `no version ${version} of "${name}"`);
    return view(row);
  }

  async listVersions(name: string): Promise<TemplateVersionView[]> {
    return (await this.templates.list(this.dataSource.manager, name)).map(view);
  }

  async listRules() {
    return (await this.rules.list(this.dataSource.manager)).map(ruleView);
  }

  async createRule(dto: SaveRuleDto) {
    return this.saveRule(randomUUID(), dto, true);
  }

  async updateRule(id: string, dto: SaveRuleDto) {
    return this.saveRule(id, dto, false);
  }

  async deleteRule(id: string): Promise<void> {
    if (!(await this.rules.delete(this.dataSource.manager, id)))
      throw new RendererException(RendererErrorCode.NotFound, `no rule ${id}`);
    this.catalog.invalidateContent();
  }

  private async saveRule(id: string, dto: SaveRuleDto, creating: boolean) {
    const now = this.clock.now();
    const saved = await this.dataSource.transaction(async (manager) => {
      const existing = creating ? null : await this.rules.find(manager, id);
      if (!creating && !existing)
        throw new RendererException(RendererErrorCode.NotFound, `no rule ${id}`);
      if (await this.rules.nameTaken(manager, dto.name, id))
        throw new RendererException(
          RendererErrorCode.Conflict,
          `a rule named "${dto.name}" exists`,
        );
      if (!(await this.content.blockExists(manager, dto.block)))
        throw new RendererException(RendererErrorCode.Invalid, `block: no block "${dto.block}"`);
      const rule: ContentRuleEntity = {
        id,
        name: dto.name,
        blockKey: dto.block,
        variant: dto.variant,
        priority: dto.priority,
        condition: dto.condition,
        enabled: dto.enabled,
        description: dto.description,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await this.rules.save(manager, rule);
      return rule;
    });
    this.catalog.invalidateContent();
    return ruleView(saved);
  }
}

function view(row: {
  name: string;
  version: number;
  status: 'draft' | 'approved';
  subject: string;
  brandKey: string;
  createdAt: Date;
  approvedAt: Date | null;
}): TemplateVersionView {
  return {
    name: row.name,
    version: row.version,
    status: row.status,
    subject: row.subject,
    brand: row.brandKey,
    createdAt: row.createdAt.toISOString(),
    approvedAt: row.approvedAt ? row.approvedAt.toISOString() : null,
  };
}

function ruleView(rule: ContentRuleEntity) {
  return {
    id: rule.id,
    name: rule.name,
    block: rule.blockKey,
    variant: rule.variant,
    priority: rule.priority,
    condition: rule.condition,
    enabled: rule.enabled,
    description: rule.description,
  };
}
