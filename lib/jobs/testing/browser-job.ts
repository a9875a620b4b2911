/** A fresh browser job record for tests: queued, nothing listed yet. For tests only. */
import { queuedBrowserJob, type BrowserJob } from '../types';

export function newBrowserJob(id: string, patch: Partial<BrowserJob> = {}): BrowserJob {
  return queuedBrowserJob({
    id,
    serverId: 's',
    name: 'out.zip',
    sources: ['docs', 'photo.jpg'],
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    createdAt: 1,
    route: 'cloudreve',
    compression: { mode: 'auto', level: 6 },
    ...patch,
  });
}
