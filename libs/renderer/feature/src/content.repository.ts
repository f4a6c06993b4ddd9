import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { BlockVariantEntity } from './block-variant.entity';
import { BlockEntity } from './block.entity';
import { BrandEntity } from './brand.entity';
import type { BlockSnapshots } from './template-compiler';

/** Brands, blocks and block variants in Postgres. Every method runs on the caller's manager. */
@Injectable()
export class ContentRepository {
  async brands(manager: EntityManager): Promise<BrandEntity[]> {
    return manager.getRepository(BrandEntity).find({ order: { key: 'ASC' } });
  }

  async brand(manager: EntityManager, key: string): Promise<BrandEntity | null> {
    return manager.getRepository(BrandEntity).findOneBy({ key });
  }

  async saveBrand(manager: EntityManager, brand: BrandEntity): Promise<void> {
    await manager.getRepository(BrandEntity).save(brand);
  }

  async blocks(
    manager: EntityManager,
  ): Promise<{ block: BlockEntity; variants: BlockVariantEntity[] }[]> {
    const blocks = await manager.getRepository(BlockEntity).find({ order: { key: 'ASC' } });
    const variants = await manager
      .getRepository(BlockVariantEntity)
      .find({ order: { blockKey: 'ASC', variant: 'ASC' } });
    return blocks.map((block) => ({
      block,
      variants: variants.filter((v) => v.blockKey === block.key),
    }));
  }

  async saveBlock(manager: EntityManager, block: BlockEntity): Promise<void> {
    await manager.getRepository(BlockEntity).save(block);
  }

  async blockExists(manager: EntityManager, key: string): Promise<boolean> {
    return manager.getRepository(BlockEntity).existsBy({ key });
  }

  async saveVariant(manager: EntityManager, variant: BlockVariantEntity): Promise<void> {
    await manager.getRepository(BlockVariantEntity).save(variant);
  }

  /** The named blocks with all their variants, as a template version snapshots them. */
  async snapshot(manager: EntityManager, keys: readonly string[]): Promise<BlockSnapshots> {
    if (keys.length === 0) return {};
    const blocks = await manager.getRepository(BlockEntity).findBy({ key: In([...keys]) });
    const variants = await manager
      .getRepository(BlockVariantEntity)
      .findBy({ blockKey: In([...keys]) });
    const out: BlockSnapshots = {};
    for (const block of blocks) {
      out[block.key] = {
        required: block.required,
        fallback: block.fallback,
        variants: Object.fromEntries(
          variants.filter((v) => v.blockKey === block.key).map((v) => [v.variant, v.mjml]),
        ),
      };
    }
    return out;
  }
}
