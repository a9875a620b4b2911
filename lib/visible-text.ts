/**
 * Names as the user should see them: characters that reorder or hide text are
 * shown as `⟨U+202E⟩`. A name like `rtl-\u202Egnp.exe` would otherwise read
 * `rtl-exe.png`, and a zero-width space makes two different names look the
 * same (Unicode TR #36 "Unicode Security Considerations" §2.4 and UTS #39
 * §3.1 "Default_Ignorable_Code_Point"; CVE-2021-42574 "Trojan Source").
 * Only what is shown changes: archives keep every name's bytes.
 */

/**
 * Bidi controls (UAX #9 §2: ALM, LRM, RLM, LRE–RLO, LRI–PDI), zero-width and
 * other default-ignorable characters that render as nothing (ZWSP, ZWNJ, ZWJ
 * outside emoji, WJ, invisible operators, BOM, soft hyphen, CGJ, Mongolian
 * vowel separator, Hangul fillers), C0/C1 controls and the line/paragraph
 * separators. Variation selectors and emoji tags are left alone: emoji use them.
 */
const HIDDEN =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- finding these characters is the point
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0]/g;

/** Zero-width joiner between two emoji-like characters joins an emoji sequence (UTS #51 §2.3); elsewhere it hides. */
const EMOJI_ZWJ = /(?<=\p{Extended_Pictographic}\ufe0f?)\u200d(?=\p{Extended_Pictographic})/u;

/** `name` with every hidden or reordering character written out as `⟨U+XXXX⟩`. */
export function showHidden(name: string): string {
  let shown = '';
  let last = 0;
  for (const match of name.matchAll(HIDDEN)) {
    const at = match.index;
    const char = match[0];
    if (char === '\u200d' && EMOJI_ZWJ.test(name.slice(Math.max(0, at - 3), at + 3))) continue;
    shown += name.slice(last, at) + `⟨U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
    last = at + 1;
  }
  return shown + name.slice(last);
}
