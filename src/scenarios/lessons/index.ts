import { whyVlansDontScale } from './01-why-vlans-dont-scale';
import { caVsPa } from './02-ca-vs-pa';
import { encapsulation } from './03-encapsulation';
import { arpHostAgent } from './04-arp-host-agent';
import { distributedRouter } from './05-distributed-router';
import { overlappingTenants } from './06-overlapping-tenants';
import { slowAndFastPath } from './07-slow-and-fast-path';
import { liveMigration } from './08-live-migration';
import { physicalNetwork } from './09-physical-network';
import { manualPolicy } from './10-manual-policy';
import { rasGateway } from './11-ras-gateway';
import { softwareLoadBalancer } from './12-software-load-balancer';
import type { Lesson } from './types';

export type * from './types';

/** The guided lessons, in teaching order. */
export const lessons: readonly Lesson[] = [
  whyVlansDontScale,
  caVsPa,
  encapsulation,
  arpHostAgent,
  distributedRouter,
  overlappingTenants,
  slowAndFastPath,
  liveMigration,
  physicalNetwork,
  manualPolicy,
  rasGateway,
  softwareLoadBalancer,
];

export function lessonById(id: string): Lesson | undefined {
  return lessons.find((l) => l.id === id);
}
