import { z } from 'zod';

export const ProductUpserted = z.object({
  productId: z.string().min(1),
  name: z.string(),
  description: z.string().default(''),
  category: z.string().default(''),
  brand: z.string().default(''),
  price: z.number().nonnegative(),
  currency: z.string().length(3),
  available: z.boolean(),
});
export type ProductUpserted = z.infer<typeof ProductUpserted>;
