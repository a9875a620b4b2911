/** A short message at the bottom of the page (errors before the dialog can open). Text nodes only. */
import { PAGE_UI_CSS } from './dialog-styles';
import { createShadowHost } from './shadow-host';

const SHOWN_MS = 6_000;

export function showToast(doc: Document, text: string): void {
  doc.querySelector('[data-cloudreve-archiver=toast]')?.remove();
  const { root, remove } = createShadowHost(doc, 'toast', PAGE_UI_CSS);
  const box = doc.createElement('div');
  box.className = 'theme toast';
  box.setAttribute('role', 'alert');
  box.setAttribute('data-testid', 'cra-toast');
  box.textContent = text;
  root.append(box);
  setTimeout(remove, SHOWN_MS);
}
