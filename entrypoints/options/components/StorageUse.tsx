import { useEffect, useState } from 'preact/hooks';
import { formatBytes, t } from '@/lib/i18n';

/**
 * How much of the browser's storage the extension holds (archives being built, job data),
 * from `navigator.storage.estimate()` (Storage Standard §4.5): the extension's origin is
 * this page's, so the figure is the extension's own.
 */
export function StorageUse() {
  const [usage, setUsage] = useState<number | undefined>();
  useEffect(() => {
    void navigator.storage
      ?.estimate()
      .then((estimate) => setUsage(estimate.usage))
      .catch(() => undefined);
  }, []);
  if (usage === undefined) return null;
  return (
    <section aria-labelledby="storage-title">
      <h2 id="storage-title">{t('optStorageTitle', 'Browser storage')}</h2>
      <p data-testid="storage-use">
        {t('optStorageUse', 'The extension uses $1 of this browser’s storage (archives being built and job data).', [
          formatBytes(usage),
        ])}
      </p>
    </section>
  );
}
