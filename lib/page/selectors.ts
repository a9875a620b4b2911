/**
 * Every selector into the Cloudreve web UI, one export each (style.md:
 * refined-github keeps selectors in one file). They are checked against the
 * saved DOM snapshots of the real frontend in test/fixtures/cloudreve-ui/
 * (lib/page/selectors.test.ts). Class names like `css-1x2y3z` are emotion
 * hashes and never used (docs/cloudreve-web-ui.md#selectors-and-fragility).
 */

/** Grid items; `data-rect-id` is the app's own rubber-band hook since 4.0.0. Next-page placeholders carry `data-rect-id=""`. Fragility: low–medium. */
export const GRID_ITEM = 'button[data-rect-id]:not([data-rect-id=""])';

/** List-view row wrappers (react-virtuoso); the row is the first element child. Only rows near the viewport exist. Fragility: medium. */
export const LIST_ROW = '[data-item-index]';

/**
 * "This item is selected": the small icon slot shows CheckmarkCircle with
 * `colorPrimary` (unselected: `colorAction`). The isolated world cannot see
 * React's `el.selected` property, so this colour class is all there is.
 * Fragility: HIGH — a theme or a coloured file-type icon could match it.
 */
export const SELECTED_MARK = 'svg.MuiSvgIcon-colorPrimary';

/** An item's name: the Tooltip copies the name into `aria-label` (grid: inner `p`, list: a `div`); list rows also hold empty `aria-label=""` spans. Fragility: medium. */
export const ITEM_NAME = '[aria-label]:not([aria-label=""])';

/** The selected-actions bar in the header, present only with a selection at ≥ 600 px; language independent (observed on the running UI). Fragility: high. */
export const SELECTION_TOOLBAR =
  'header.MuiAppBar-root .MuiStack-root:has(> .MuiButtonGroup-root > button.Mui-disabled)';

/** The disabled "N selected" button inside the bar; its text starts with the count in every language we know. */
export const SELECTED_COUNT = `${SELECTION_TOOLBAR} > .MuiButtonGroup-root > button.Mui-disabled`;

/** A plain (non-disabled) button of the bar's first group: its colours are the page's primary outline style. */
export const TOOLBAR_STYLE_SOURCE = `${SELECTION_TOOLBAR} > .MuiButtonGroup-root > button:not(.Mui-disabled)`;

/** Below 600 px the bar is absent and header icon buttons carry the count as a badge. Fragility: high. */
export const MOBILE_COUNT_BADGE = 'header.MuiAppBar-root .MuiBadge-badge';

/** MUI menus portalled under `<body>`; the file context menu is the kept-mounted one, present from page load. Fragility: medium–high. */
export const MENU_ROOT = 'body > div.MuiPopover-root.MuiMenu-root';

/** The item list inside a menu. */
export const MENU_LIST = 'ul[role=menu]';

/** Class MUI's Modal has while closed (with `aria-hidden`, `visibility: hidden`). */
export const MODAL_HIDDEN_CLASS = 'MuiModal-hidden';

/** The invisible backdrop of an open menu; clicking it closes the menu (`onClose('backdropClick')`). */
export const MENU_BACKDROP = '.MuiBackdrop-root';
