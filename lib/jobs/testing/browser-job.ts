/** A fresh browser job record for tests: queued, nothing listed yet. For tests only. */
import type { BrowserJob } from '../types';

export function newBrowserJob(id: string, patch: Partial<BrowserJob> = {}): BrowserJob {
  return {
    id,
    kind: 'browser',
    serverId: 's',
    name: 'out.zip',
    sources: ['docs', 'photo.jpg'],
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    createdAt: 1,
    updatedAt: 1,
    phase: 'queued',
    route: 'cloudreve',
    compression: { mode: 'auto', level: 6 },
    progress: { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, skipped: 0, speed: 0 },
    segments: [],
    entriesDone: 0,
    ...patch,
  };
}
