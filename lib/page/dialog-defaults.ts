/**
 * What the Archive dialog starts with: the choices made last time on this server (mode,
 * compression, destination; issue 15 "Remember"), else the user's defaults and the folder the page
 * shows (on a share link: the user's drive). A remembered server mode the user's group has lost
 * falls back to Auto.
 */
import { isShareUri } from '../cloudreve/share';
import type { ArchiveMode, CompressionChoice } from '../jobs/types';
import type { PageContext } from '../messaging/protocol';

/** The root of the signed-in user's own drive (docs/cloudreve-api.md#cloudreve-uris). */
const MY_DRIVE = 'cloudreve://my';

export interface DialogDefaults {
  mode: ArchiveMode;
  compression: CompressionChoice;
  folderUri: string;
}

export function dialogDefaults(context: PageContext, pageFolder: string): DialogDefaults {
  const last = context.lastChoice;
  const serverAllowed = context.server.permissions?.archiveTask !== false;
  const mode = last?.mode ?? context.settings.mode;
  return {
    mode: mode === 'server' && !serverAllowed ? 'auto' : mode,
    compression: last?.compression ?? context.settings.compression,
    folderUri: last?.folderUri && !isShareUri(last.folderUri) ? last.folderUri : pageDestination(pageFolder),
  };
}

/**
 * The destination the page itself suggests: the folder it shows, except on a share link, which
 * cannot hold the archive (lib/service/archive.ts refuses it): there, the user's own drive.
 */
export function pageDestination(pageFolder: string): string {
  return isShareUri(pageFolder) ? MY_DRIVE : pageFolder;
}

/** The compression list's value for a choice: `store`, or the deflate level. */
export const compressionValue = (choice: CompressionChoice) =>
  choice.mode === 'store' ? 'store' : String(choice.level);

/** The choice for a value of the list; a level keeps Auto's "store what is already compressed" unless deflate was forced. */
export function compressionOf(value: string, before: CompressionChoice): CompressionChoice {
  if (value === 'store') return { mode: 'store', level: before.level };
  return { mode: before.mode === 'deflate' ? 'deflate' : 'auto', level: Number(value) };
}
