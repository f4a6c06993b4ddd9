import { BlockVariantEntity } from './block-variant.entity';
import { BlockEntity } from './block.entity';
import { BrandEntity } from './brand.entity';
import { ContentRuleEntity } from './content-rule.entity';
import { DeliveryEntity } from './delivery.entity';
import { RendererInit1795414800000 } from './migrations/1795414800000-RendererInit';
import { ModularTemplates1795415000000 } from './migrations/1795415000000-ModularTemplates';
import { TemplateVersionEntity } from './template-version.entity';
import { UnsubscribeEntity } from './unsubscribe.entity';

export { RendererFeatureModule } from './renderer.module';
export { MAILER, type Mailer, type OutgoingEmail } from './mailer';

export const RENDERER_ENTITIES = [
  DeliveryEntity,
  TemplateVersionEntity,
  BlockEntity,
  BlockVariantEntity,
  BrandEntity,
  ContentRuleEntity,
  UnsubscribeEntity,
];
export const RENDERER_MIGRATIONS = [RendererInit1795414800000, ModularTemplates1795415000000];
