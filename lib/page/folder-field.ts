/**
 * The dialog's destination field shows a folder URI with its names decoded
 * (`cloudreve://my/2024 reports (final)`), and turns what the user typed back
 * into a canonical URI. Names cannot contain `/` (docs/cloudreve-api.md#cloudreve-uris), so every
 * segment of the text is one literal name, `%` and `?` included.
 */
import { pathEscape, pathUnescape, withoutQuery } from '../cloudreve/uri';
import { AppError } from '../errors';

const SCHEME = 'cloudreve://';

function split(rest: string): { authority: string; segments: string[] } {
  const slash = rest.indexOf('/');
  const authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const segments =
    slash >= 0
      ? rest
          .slice(slash + 1)
          .split('/')
          .filter(Boolean)
      : [];
  return { authority, segments };
}

/** `cloudreve://my/a%20b` → `cloudreve://my/a b` (the authority is kept as is). */
export function folderToText(uri: string): string {
  const { authority, segments } = split(withoutQuery(uri).slice(SCHEME.length));
  return SCHEME + [authority, ...segments.map(pathUnescape)].join('/');
}

/** `cloudreve://my/a b` → `cloudreve://my/a%20b`; throws `invalid-uri` on anything else. */
export function textToFolder(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith(SCHEME)) throw new AppError('invalid-uri', trimmed);
  const { authority, segments } = split(trimmed.slice(SCHEME.length));
  if (!authority || /[?#\s]/.test(authority)) throw new AppError('invalid-uri', trimmed);
  return SCHEME + [authority, ...segments.map(pathEscape)].join('/');
}
