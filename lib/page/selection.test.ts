// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readDomSelection, readSelection, shownCount, wholeFolderSelection } from './selection';
import { loadSnapshot } from './testing/snapshots';

const HOME = 'http://cloud.test/home';

describe('readDomSelection', () => {
  it('maps the grid selection to escaped URIs in the current folder', () => {
    loadSnapshot('dom-grid-selected');
    expect(readDomSelection(document, HOME)).toEqual({
      uris: ['cloudreve://my/a%20b.txt', 'cloudreve://my/%E4%B8%AD%E6%96%87.md'],
      names: ['a b.txt', '中文.md'],
      folder: 'cloudreve://my',
    });
  });

  it('takes the folder from ?path= (decoded once by URLSearchParams)', () => {
    loadSnapshot('dom-grid-selected');
    const href = `${HOME}?path=${encodeURIComponent('cloudreve://my/Docs/2024%20reports%20(final)')}`;
    expect(readDomSelection(document, href)?.uris).toEqual([
      'cloudreve://my/Docs/2024%20reports%20(final)/a%20b.txt',
      'cloudreve://my/Docs/2024%20reports%20(final)/%E4%B8%AD%E6%96%87.md',
    ]);
  });

  it('reads list rows when the count shown agrees with the rows seen', () => {
    loadSnapshot('dom-list-selected');
    expect(shownCount(document)).toBe(2);
    expect(readDomSelection(document, HOME)?.names).toEqual(['Photos', 'a b.txt']);
  });

  it('refuses when the page shows more selected than the DOM holds (rows scrolled away)', () => {
    loadSnapshot('dom-list-selected');
    document.querySelector('[data-item-index="1"]')!.remove();
    expect(readDomSelection(document, HOME)).toBeNull();
  });

  it('refuses a virtualized list with marks but no count to check them against', () => {
    loadSnapshot('dom-list-selected');
    document.querySelector('header')!.remove();
    expect(readDomSelection(document, HOME)).toBeNull();
  });

  it('refuses search results, whose items come from many folders', () => {
    loadSnapshot('dom-grid-selected');
    const href = `${HOME}?path=${encodeURIComponent('cloudreve://my?name=a')}`;
    expect(readDomSelection(document, href)).toBeNull();
  });

  it('answers an empty selection when nothing is marked and no count is shown', () => {
    document.body.innerHTML =
      '<button data-rect-id="0"><svg class="MuiSvgIcon-colorAction"></svg><p aria-label="x">x</p></button>';
    expect(readDomSelection(document, HOME)).toEqual({ uris: [], names: [], folder: 'cloudreve://my' });
  });
});

describe('readSelection', () => {
  it('prefers the store, which sees rows the DOM does not', async () => {
    loadSnapshot('dom-list-selected');
    const exact = { uris: ['cloudreve://my/x'], names: ['x'], folder: 'cloudreve://my' };
    await expect(readSelection(window, async () => exact)).resolves.toEqual({ ...exact, source: 'store' });
  });

  it('falls back to the DOM when the bridge does not answer', async () => {
    loadSnapshot('dom-grid-selected');
    const selection = await readSelection(window, async () => null);
    expect(selection).toMatchObject({ source: 'dom', names: ['a b.txt', '中文.md'] });
  });

  it('throws selection-unavailable when neither can tell', async () => {
    loadSnapshot('dom-list-selected');
    document.querySelector('[data-item-index="1"]')!.remove();
    await expect(readSelection(window, async () => null)).rejects.toMatchObject({ code: 'selection-unavailable' });
  });
});

describe('wholeFolderSelection (nothing selected: the folder the page shows)', () => {
  it('is the folder itself, named by its last segment, kept in its parent', () => {
    const folder = 'cloudreve://my/Docs/2024%20reports%20(final)';
    expect(wholeFolderSelection({ uris: [], names: [], folder, source: 'store' })).toEqual({
      uris: [folder],
      names: ['2024 reports (final)'],
      folder: 'cloudreve://my/Docs',
      source: 'store',
      wholeFolder: true,
    });
  });

  it('is nothing at the root of a filesystem', () => {
    expect(wholeFolderSelection({ uris: [], names: [], folder: 'cloudreve://my', source: 'dom' })).toBeNull();
  });

  it('is the whole share at the root of a share link (password kept, search dropped)', () => {
    const folder = 'cloudreve://Ab3x:sesame@share?name=x';
    expect(wholeFolderSelection({ uris: [], names: [], folder, source: 'store' })).toEqual({
      uris: ['cloudreve://Ab3x:sesame@share'],
      names: [],
      folder: 'cloudreve://Ab3x:sesame@share',
      source: 'store',
      wholeFolder: true,
      wholeShare: true,
    });
  });

  it('is the folder, kept in its parent inside the share, below a share link’s root', () => {
    const folder = 'cloudreve://Ab3x@share/pics';
    expect(wholeFolderSelection({ uris: [], names: [], folder, source: 'store' })).toMatchObject({
      uris: [folder],
      names: ['pics'],
      folder: 'cloudreve://Ab3x@share',
      wholeFolder: true,
    });
  });
});
