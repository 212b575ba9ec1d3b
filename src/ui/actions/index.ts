export { connectHost, connectRouter, disconnectRouter, placeVm } from './connect';
export {
  addAcl,
  addHost,
  addLogicalSubnet,
  addRouter,
  addTenant,
  addVirtualSubnet,
  addVm,
  addVmNetwork,
} from './create';
export { addFlow, removeFlow } from './flows';
export { moveNodes } from './layout';
export {
  type Clipboard,
  clipboardIsEmpty,
  clipboardObjects,
  copySelection,
  type FreshValues,
  paste,
} from './paste';
export { deleteObjects } from './remove';
export { setProbeFailing } from './slb';
export { type Action, ActionError, type Point, type View } from './types';
export {
  addAclRule,
  addNic,
  removeAclRule,
  removeNic,
  setTeam,
  updateAclRule,
  updateDocument,
  updateNic,
  updateObject,
  updateRouterInterface,
  updateTeamMember,
} from './update';
export { findCollection, newObjectId, uniqueName } from './util';
