export * from './string-similarity';
export * from './phonetic';
export * from './nicknames';
export * from './match-record';
export * from './comparators';
export * from './fellegi-sunter';
export * from './blocking';
