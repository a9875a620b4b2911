import { browser } from '#imports';

export function App() {
  return (
    <main data-testid="popup">
      <h1>{browser.i18n.getMessage('popupTitle')}</h1>
      <p data-testid="empty-state">{browser.i18n.getMessage('popupEmpty')}</p>
    </main>
  );
}
