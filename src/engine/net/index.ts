// Network arithmetic: IPv4, MAC and prefix parse/format, prefix math, the gateway rule,
// well-known numbers and RSS's Toeplitz hash (the SLB MUX's, which a lesson recomputes). A pure
// leaf: it imports nothing outside this folder, so the engine, the UI and the scenarios can all
// share it (see architecture.test.ts).
export * from './ipv4';
export * from './mac';
export * from './mtu';
export * from './ports';
export * from './prefix';
export * from './toeplitz';
