export * from './allocate';
export * from './builder';
export * from './ipv4';
export * from './layout';
export * from './migrations';
export * from './rest';
export * from './schema';
export * from './validate';
