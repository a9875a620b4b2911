/** Loads a saved Cloudreve UI snapshot (test/fixtures/cloudreve-ui/) into the happy-dom document. Tests only. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export type SnapshotName = 'dom-grid-selected' | 'dom-list-selected' | 'dom-contextmenu-open';

export function loadSnapshot(name: SnapshotName): void {
  const html = readFileSync(resolve('test/fixtures/cloudreve-ui', `${name}.html`), 'utf8');
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  document.body.innerHTML = body;
}
