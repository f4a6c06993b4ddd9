export * from './keys';
export * from './redis';
export type { default as Redis } from 'ioredis';
