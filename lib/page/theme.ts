/** Light or dark, as the page shows it: MUI's CssBaseline paints `<body>` with `palette.background.default`. */

export interface PageTheme {
  dark: boolean;
}

/** Relative luminance of an `rgb()/rgba()` colour, or null when transparent or unreadable. */
export function luminance(color: string): number | null {
  const match = /rgba?\(([^)]+)\)/.exec(color);
  if (!match) return null;
  const [r, g, b, a = 1] = match[1]!
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  if (a === 0 || [r, g, b].some((value) => value === undefined || Number.isNaN(value))) return null;
  const linear = (v: number) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r!) + 0.7152 * linear(g!) + 0.0722 * linear(b!);
}

/** The page's background decides; `prefers-color-scheme` only when the body has none. */
export function pageTheme(win: Window): PageTheme {
  const body = win.document.body;
  const light = body ? luminance(win.getComputedStyle(body).backgroundColor) : null;
  if (light !== null) return { dark: light < 0.4 };
  return { dark: win.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false };
}
