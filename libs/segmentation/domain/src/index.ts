// Segmentation domain: pure logic (no Nest, no I/O). See each module's header comment.
export * from './time';
export * from './prng';
export * from './day-series';
export * from './decayed-scores';
export * from './operators';
export * from './event-counters';
export * from './computed-traits';
export * from './merge-traits';
export * from './rfm';
export * from './traits-facts';
export * from './segment-definition';
export * from './requirements';
export * from './segment-program';
export * from './built-in-segments';
export * from './kmeans';
export * from './cluster-model';
