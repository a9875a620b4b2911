/**
 * Uploads paused until the user allows the extension to send to a storage provider's origin
 * (INTERNALS.md "Storage-origin access"): one "Allow" per origin, requesting exactly it.
 * The same button is in the popup row of each waiting job.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { sendMessage } from '@/lib/messaging/protocol';
import { useAction } from '../use-action';

/** Origins that running jobs wait for. */
async function waitingOrigins(): Promise<string[]> {
  const jobs = await sendMessage('listJobs');
  const origins = jobs.flatMap((job) =>
    job.kind === 'browser' && job.phase === 'uploading' && job.awaitingAccess ? [job.awaitingAccess] : [],
  );
  return [...new Set(origins)];
}

export function StorageAccessRequests() {
  const [origins, setOrigins] = useState<string[]>([]);
  const action = useAction();
  const refresh = () => void waitingOrigins().then(setOrigins, () => setOrigins([]));
  useEffect(() => {
    refresh();
    // A job reaches the storage origin while this page is open: look again now and then.
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, []);
  if (origins.length === 0) return null;
  // Inside the click: `permissions.request` needs the user gesture.
  const allow = (origin: string) => action.grant(origin, refresh);
  return (
    <section aria-labelledby="storage-access-title" data-testid="storage-access">
      <h2 id="storage-access-title">{t('optStorageAccessTitle', 'Uploads waiting for access')}</h2>
      <ul>
        {origins.map((origin) => (
          <li key={origin} class="message warn">
            {t('jobAllowStorage', 'Allow uploads to $1', [new URL(origin).host])}{' '}
            <button type="button" class="primary" onClick={() => allow(origin)} data-testid="options-allow-storage">
              {t('jobAllowStorageButton', 'Allow')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
