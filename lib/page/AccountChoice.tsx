/**
 * Shown instead of the Archive dialog when the page is signed in with another
 * account than the extension uses. The page's account never replaces the
 * extension's silently (a page script can write any session into its
 * storage); the user decides here, with a real click. Both emails come from
 * the server, not from the page.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { toUserMessage } from '../user-message';
import { showHidden } from '../visible-text';
import { onlyTrusted } from './trusted';

export interface AccountChoiceProps {
  pageEmail: string;
  extensionEmail: string;
  dark: boolean;
  use(): Promise<void>;
  onClose(): void;
}

export function AccountChoice({ pageEmail, extensionEmail, dark, use, onClose }: AccountChoiceProps) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), []);
  const page = showHidden(pageEmail);

  async function choose() {
    setBusy(true);
    try {
      await use();
    } catch (failure) {
      setBusy(false);
      setError(toUserMessage(failure));
    }
  }

  return (
    <div
      class={dark ? 'theme dark scrim' : 'theme scrim'}
      onKeyDown={onlyTrusted((event: KeyboardEvent) => event.key === 'Escape' && onClose())}
    >
      <div
        class="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="cra-account-title"
        aria-describedby="cra-account-text"
        data-testid="cra-account-dialog"
      >
        <h2 id="cra-account-title">{t('pageAccountTitle', 'Another account on this page')}</h2>
        <p id="cra-account-text" class="summary" data-testid="cra-account-text">
          {t(
            'pageAccountText',
            'This page is signed in as $1, the extension uses $2. Use $1 in the extension from now on?',
            [page, showHidden(extensionEmail)],
          )}
        </p>
        {error && (
          <p class="error" role="alert" data-testid="cra-error">
            {error}
          </p>
        )}
        <div class="actions">
          <button ref={cancel} type="button" data-testid="cra-cancel" onClick={onlyTrusted(onClose)}>
            {t('dialogCancel', 'Cancel')}
          </button>
          <button
            type="button"
            class="primary"
            data-testid="cra-use-page-account"
            disabled={busy}
            onClick={onlyTrusted(() => void choose())}
          >
            {t('pageAccountUse', 'Use $1', [page])}
          </button>
        </div>
      </div>
    </div>
  );
}
