import { randomUUID } from 'node:crypto';
import { qualifiedTable, schemaOf } from '@kairos/persistence';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  SEED_BLOCKS,
  SEED_BRAND,
  SEED_RULES,
  SEED_TEMPLATE,
  seedBlockSnapshots,
} from '../seed-content';
import { ABANDONED_CART_TEMPLATE } from './1795414800000-RendererInit';

/**
 * Modular templates replace the single-file Liquid templates: brands (voice), blocks and their
 * variants, versioned templates (MJML layout + block snapshot + compiled output, draft →
 * approved), content rules, and the unsubscribes received through delivery links. Seeds the
 * abandoned-cart template as approved version 1 (compiled lazily on first use) and example rules.
 */
export class ModularTemplates1795415000000 implements MigrationInterface {
  name = 'ModularTemplates1795415000000';

  async up(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const t = (name: string) => qualifiedTable(schema, name);

    await q.query(`
      CREATE TABLE ${t('brands')} (
        key         text        PRIMARY KEY,
        name        text        NOT NULL,
        tone        text        NOT NULL,
        formality   text        NOT NULL CHECK (formality IN ('casual', 'formal')),
        sign_off    text        NOT NULL,
        website_url text        NOT NULL CHECK (website_url ~ '^https?://'),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${t('blocks')} (
        key         text        PRIMARY KEY,
        description text        NOT NULL DEFAULT '',
        required    boolean     NOT NULL DEFAULT false,
        fallback    text        NOT NULL DEFAULT '',
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ${t('block_variants')} (
        block_key   text        NOT NULL REFERENCES ${t('blocks')} (key) ON DELETE CASCADE,
        variant     text        NOT NULL,
        description text        NOT NULL DEFAULT '',
        mjml        text        NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (block_key, variant)
      )`);
    await q.query(`
      CREATE TABLE ${t('template_versions')} (
        name        text        NOT NULL,
        version     integer     NOT NULL CHECK (version > 0),
        subject     text        NOT NULL,
        layout      text        NOT NULL,
        brand_key   text        NOT NULL,
        status      text        NOT NULL CHECK (status IN ('draft', 'approved')),
        blocks      jsonb       NOT NULL,
        compiled    jsonb       NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        approved_at timestamptz NULL,
        PRIMARY KEY (name, version)
      )`);
    // What every send asks: the newest approved version of a template.
    await q.query(
      `CREATE INDEX "template_versions_approved_idx" ON ${t('template_versions')} (name, version DESC) WHERE status = 'approved'`,
    );
    await q.query(`
      CREATE TABLE ${t('content_rules')} (
        id          uuid        PRIMARY KEY,
        name        text        NOT NULL,
        block_key   text        NOT NULL,
        variant     text        NOT NULL,
        priority    integer     NOT NULL,
        condition   jsonb       NOT NULL,
        enabled     boolean     NOT NULL DEFAULT true,
        description text        NOT NULL DEFAULT '',
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "content_rules_name_uq" UNIQUE (name)
      )`);
    await q.query(`
      CREATE TABLE ${t('unsubscribes')} (
        delivery_id uuid        PRIMARY KEY REFERENCES ${t('deliveries')} (id),
        profile_id  uuid        NOT NULL,
        method      text        NOT NULL CHECK (method IN ('one-click', 'page')),
        created_at  timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX "unsubscribes_profile_idx" ON ${t('unsubscribes')} (profile_id)`);

    await q.query(
      `INSERT INTO ${t('brands')} (key, name, tone, formality, sign_off, website_url) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        SEED_BRAND.key,
        SEED_BRAND.name,
        SEED_BRAND.tone,
        SEED_BRAND.formality,
        SEED_BRAND.signOff,
        SEED_BRAND.websiteUrl,
      ],
    );
    for (const [key, block] of Object.entries(SEED_BLOCKS)) {
      await q.query(
        `INSERT INTO ${t('blocks')} (key, description, required, fallback) VALUES ($1, $2, $3, $4)`,
        [key, block.description, block.required, block.fallback],
      );
      for (const [variant, mjml] of Object.entries(block.variants)) {
        await q.query(
          `INSERT INTO ${t('block_variants')} (block_key, variant, mjml) VALUES ($1, $2, $3)`,
          [key, variant, mjml],
        );
      }
    }
    await q.query(
      `INSERT INTO ${t('template_versions')} (name, version, subject, layout, brand_key, status, blocks, approved_at)
       VALUES ($1, 1, $2, $3, $4, 'approved', $5, now())`,
      [
        SEED_TEMPLATE.name,
        SEED_TEMPLATE.subject,
        SEED_TEMPLATE.layout,
        SEED_TEMPLATE.brand,
        JSON.stringify(seedBlockSnapshots()),
      ],
    );
    for (const rule of SEED_RULES) {
      await q.query(
        `INSERT INTO ${t('content_rules')} (id, name, block_key, variant, priority, condition, description)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          randomUUID(),
          rule.name,
          rule.block,
          rule.variant,
          rule.priority,
          JSON.stringify(rule.condition),
          rule.description,
        ],
      );
    }
    await q.query(`DROP TABLE ${t('templates')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    const schema = schemaOf(q);
    const t = (name: string) => qualifiedTable(schema, name);
    await q.query(`
      CREATE TABLE ${t('templates')} (
        name       text        NOT NULL,
        version    integer     NOT NULL CHECK (version > 0),
        subject    text        NOT NULL,
        html       text        NOT NULL,
        text       text        NOT NULL,
        approved   boolean     NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, version)
      )`);
    await q.query(
      `INSERT INTO ${t('templates')} (name, version, subject, html, text, approved) VALUES ($1, 1, $2, $3, $4, true)`,
      [
        'abandoned-cart',
        ABANDONED_CART_TEMPLATE.subject,
        ABANDONED_CART_TEMPLATE.html,
        ABANDONED_CART_TEMPLATE.text,
      ],
    );
    for (const table of [
      'unsubscribes',
      'content_rules',
      'template_versions',
      'block_variants',
      'blocks',
      'brands',
    ])
      await q.query(`DROP TABLE ${t(table)}`);
  }
}
