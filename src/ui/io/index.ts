export {
  dismissImportProblem,
  importText,
  openShareLink,
  shareFragmentFromLocation,
  shareUrl,
  useImportProblem,
  useOpenShareLink,
} from './client';
export { ImportExportMenu, SaveIndicator } from './ImportExportMenu';
export { ImportProblemDialog } from './ImportProblemDialog';
export { ShareButton } from './ShareButton';
