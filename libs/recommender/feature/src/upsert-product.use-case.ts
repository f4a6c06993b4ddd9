import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { ProductUpserted } from '@kairos/contracts';
import { DataSource } from 'typeorm';
import { ProductRepository } from './product.repository';

/**
 * Keep the catalog copy current. An upsert is idempotent by itself (the latest state per
 * product, in partition order), so no event claim is needed. Recommendations already in Redis
 * are not recomputed here; each profile's list picks up the change at its next event.
 */
@Injectable()
export class UpsertProductUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async upsert(product: ProductUpserted): Promise<void> {
    await this.products.upsertFromCatalog(this.dataSource.manager, product, this.clock.now());
  }

  /** A tombstone on the compacted catalog topic: the product is gone. */
  async remove(productId: string): Promise<void> {
    await this.products.markUnavailable(this.dataSource.manager, productId, this.clock.now());
  }
}
