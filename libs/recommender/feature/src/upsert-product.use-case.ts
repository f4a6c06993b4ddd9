import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '@kairos/clock';
import type { ProductUpserted } from '@kairos/contracts';
import { DataSource } from 'typeorm';
import { ModelStore } from './model-store';
import { ProductRepository } from './product.repository';

/**
 * Keep the catalog copy current. An upsert is idempotent by itself (the latest state per
 * product, in partition order), so no event claim is needed. The served model learns the new
 * name, price and availability at once (a product new to it waits for the next training).
 * Recommendations already in Redis are not recomputed here; each profile's list picks up the
 * change at its next event or the next training.
 */
@Injectable()
export class UpsertProductUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly products: ProductRepository,
    private readonly models: ModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async upsert(product: ProductUpserted): Promise<void> {
    await this.products.upsertFromCatalog(this.dataSource.manager, product, this.clock.now());
    this.models.current?.updateProduct({
      productId: product.productId,
      name: product.name,
      description: product.description,
      category: product.category,
      brand: product.brand,
      price: product.price,
      available: product.available,
    });
  }

  /** A tombstone on the compacted catalog topic: the product is gone. */
  async remove(productId: string): Promise<void> {
    await this.products.markUnavailable(this.dataSource.manager, productId, this.clock.now());
    this.models.current?.markUnavailable(productId);
  }
}
