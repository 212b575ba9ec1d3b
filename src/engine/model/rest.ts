// The Network Controller REST export/import: one file per NC resource under rest/.
export * from './rest/index';
