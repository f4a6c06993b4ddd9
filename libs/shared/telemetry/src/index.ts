export * from './start';
export * from './redaction';
