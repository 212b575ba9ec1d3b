// Every cmdlet the console knows: one line each.
import type { Cmdlet } from './cmdlet';
import {
  getCustomerRoute,
  newCustomerRoute,
  newGuidCmdlet,
  removeCustomerRoute,
} from './cmdlets/customerRoute';
import {
  getLookupRecord,
  newLookupRecord,
  removeLookupRecord,
  setLookupRecord,
} from './cmdlets/lookupRecord';
import { NETWORK_CONTROLLER_CMDLETS } from './cmdlets/networkController';
import {
  getPaCaMapping,
  getProviderAddress,
  getSdnProviderAddress,
  newProviderAddress,
} from './cmdlets/providerAddress';
import { enterSession, exitSession, getCommand, getHelp, invokeRestMethod } from './cmdlets/session';
import { testTupleCmdlet } from './cmdlets/tuple';

export const CMDLETS: readonly Cmdlet[] = [
  getLookupRecord,
  newLookupRecord,
  setLookupRecord,
  removeLookupRecord,
  getCustomerRoute,
  newCustomerRoute,
  removeCustomerRoute,
  getProviderAddress,
  newProviderAddress,
  getPaCaMapping,
  getSdnProviderAddress,
  testTupleCmdlet,
  newGuidCmdlet,
  invokeRestMethod,
  ...NETWORK_CONTROLLER_CMDLETS,
  enterSession,
  exitSession,
  getCommand,
  getHelp,
];

export function cmdletNamed(name: string): Cmdlet | undefined {
  const lower = name.toLowerCase();
  return CMDLETS.find((c) => c.name.toLowerCase() === lower);
}
