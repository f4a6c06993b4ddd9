import { DeliveryEntity } from './delivery.entity';
import { RendererInit1795414800000 } from './migrations/1795414800000-RendererInit';
import { TemplateEntity } from './template.entity';

export { RendererFeatureModule } from './renderer.module';
export { MAILER, type Mailer, type OutgoingEmail } from './mailer';

export const RENDERER_ENTITIES = [DeliveryEntity, TemplateEntity];
export const RENDERER_MIGRATIONS = [RendererInit1795414800000];
