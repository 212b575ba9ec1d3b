export * from './ipv4';
export * from './schema';
export * from './validate';
