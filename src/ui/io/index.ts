export {
  beginImport,
  cancelImport,
  dismissImportProblem,
  type ImportJob,
  importText,
  openShareLink,
  shareFragmentFromLocation,
  shareUrl,
  useImportJob,
  useImportProblem,
  useOpenShareLink,
} from './client';
export { ImportExportMenu, SaveIndicator } from './ImportExportMenu';
export { ImportProblemDialog } from './ImportProblemDialog';
export { ShareButton } from './ShareButton';
