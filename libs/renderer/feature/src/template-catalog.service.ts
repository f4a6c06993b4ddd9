import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { orderRules, type ContentRule } from './domain/block-selection';
import { ContentRuleRepository } from './content-rule.repository';
import { ContentRepository } from './content.repository';
import { EmailRenderer, type PreparedTemplate } from './email-renderer';
import { DEFAULT_BRAND, type BrandVoice } from './email-scope';
import { compileTemplate } from './template-compiler';
import { TemplateRepository, type TemplateHead } from './template.repository';

export interface LoadedTemplate {
  head: TemplateHead;
  prepared: PreparedTemplate;
  /** Each slot's block and the variant keys this version has (what rules may choose). */
  blocks: { block: string; variants: string[] }[];
}

export interface LiveContent {
  /** Enabled rules in evaluation order. */
  rules: ContentRule[];
  brands: Map<string, BrandVoice>;
}

/** Rules and brands are re-read at most this often (admin writes in this process: at once). */
const CONTENT_TTL_MS = 2_000;

/**
 * Where the renderer gets templates, rules and brands. Per send it asks Postgres one small
 * question (the newest approved version's number); everything heavy is done once per version:
 * MJML compiles when the version is created (or, for seeded versions, on first use — then the
 * output is stored in the row), Liquid parses once per process, keyed by name@version.
 */
@Injectable()
export class TemplateCatalog {
  private readonly logger = new Logger(TemplateCatalog.name);
  private readonly loading = new Map<string, Promise<LoadedTemplate>>();
  private content: { at: number; value: Promise<LiveContent> } | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EmailRenderer) private readonly renderer: EmailRenderer,
    private readonly templates: TemplateRepository,
    private readonly contentRepo: ContentRepository,
    private readonly rules: ContentRuleRepository,
  ) {}

  /** The newest approved version of a template, ready to render; null if there is none. */
  async latestApproved(name: string): Promise<LoadedTemplate | null> {
    const head = await this.templates.findLatestApproved(this.dataSource.manager, name);
    return head ? this.load(head.name, head.version) : null;
  }

  /** A version ready to render (any status: sending checks approval, previews do not). */
  load(name: string, version: number): Promise<LoadedTemplate> {
    const key = `${name}@${version}`;
    let loaded = this.loading.get(key);
    if (!loaded) {
      loaded = this.compileAndPrepare(name, version, key);
      // A failed load is not cached: the next send retries (the cause may be a DB blip).
      loaded.catch(() => this.loading.delete(key));
      if (this.loading.size >= 200) this.loading.delete(this.loading.keys().next().value as string);
      this.loading.set(key, loaded);
    }
    return loaded;
  }

  /** Enabled rules (ordered) and brands, cached for a couple of seconds. */
  live(): Promise<LiveContent> {
    const now = performance.now();
    if (!this.content || now - this.content.at > CONTENT_TTL_MS) {
      const value = this.readContent();
      value.catch(() => (this.content = undefined));
      this.content = { at: now, value };
    }
    return this.content.value;
  }

  /** After an admin change in this process: the next send sees it. */
  invalidateContent(): void {
    this.content = undefined;
  }

  brandOf(content: LiveContent, key: string): BrandVoice {
    return content.brands.get(key) ?? DEFAULT_BRAND;
  }

  private async compileAndPrepare(
    name: string,
    version: number,
    key: string,
  ): Promise<LoadedTemplate> {
    const row = await this.templates.find(this.dataSource.manager, name, version);
    if (!row) throw new Error(`template ${key} does not exist`);
    let compiled = row.compiled;
    if (!compiled) {
      compiled = await compileTemplate(row.layout, row.blocks);
      await this.templates.saveCompiled(this.dataSource.manager, name, version, compiled);
      this.logger.log(`compiled template ${key} (MJML, once per version)`);
    }
    return {
      head: { name, version, subject: row.subject, brandKey: row.brandKey },
      prepared: this.renderer.prepare(key, row.subject, compiled),
      blocks: compiled.slots.map((slot) => ({
        block: slot.block,
        variants: Object.keys(slot.variants),
      })),
    };
  }

  private async readContent(): Promise<LiveContent> {
    const manager = this.dataSource.manager;
    const [rules, brands] = await Promise.all([
      this.rules.list(manager),
      this.contentRepo.brands(manager),
    ]);
    return {
      rules: orderRules(
        rules
          .filter((r) => r.enabled)
          .map((r) => ({
            id: r.id,
            name: r.name,
            block: r.blockKey,
            variant: r.variant,
            priority: r.priority,
            condition: r.condition,
            enabled: r.enabled,
          })),
      ),
      brands: new Map(
        brands.map((b) => [
          b.key,
          {
            key: b.key,
            name: b.name,
            tone: b.tone,
            formality: b.formality,
            signOff: b.signOff,
            websiteUrl: b.websiteUrl.replace(/\/+$/, ''),
          },
        ]),
      ),
    };
  }
}
