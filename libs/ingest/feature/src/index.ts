export * from './ingest.module';
export * from './ingest.config';
export * from './normalize-event';
export * from './email';
export * from './partition-key';
export * from './reject-reason';
export * from './redrive';
