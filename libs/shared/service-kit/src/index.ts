export * from './tokens';
export * from './admin-token.guard';
export * from './health.controller';
export * from './clock.controller';
export * from './service-kit.module';
export * from './service.module';
export * from './bootstrap';
