export * from './allocate';
export * from './builder';
export * from './ipv4';
export * from './layout';
export * from './schema';
export * from './validate';
