/**
 * Citations stay inside the repository: every `docs/<page>.md#<section>` a source file or document
 * cites names a page and a heading that exist (anchors as GitHub renders them), every relative
 * Markdown link resolves, every repository file a comment or document names exists (files move), and
 * nothing refers to research notes that only ever lived outside the repository.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const SKIP_DIRS = new Set(['node_modules', '.git', '.output', '.wxt', 'dist', 'test-results', 'coverage']);
const TEXT = /\.(?:ts|tsx|mts|mjs|js|md|html|css|json|sh)$|^run$/;

function files(dir = '.'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = dir === '.' ? entry.name : join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : files(path);
    return TEXT.test(entry.name) && entry.name !== 'package-lock.json' ? [path] : [];
  });
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const all = files();
const anchorCache = new Map<string, Set<string>>();
function hasAnchor(page: string, anchor: string): boolean {
  if (!anchorCache.has(page)) anchorCache.set(page, anchorsOf(readFileSync(page, 'utf8')));
  return anchorCache.get(page)!.has(anchor);
}

/** A docs/ page, optionally with `#section`, as code comments and documents cite them. */
const DOCS_CITATION = /(?<![\w./-])docs\/([\w./-]+?\.md)(?:#([\w-]+))?/g;
/** A relative Markdown link `[text](path.md#section)` or `[text](path.md)`. */
const MD_LINK = /\]\((?!https?:|mailto:|#)([^)\s]+?\.md)(?:#([^)\s]+))?\)/g;
/** A repository file named in a comment or document, e.g. `lib/webdav/href.ts` (build output under dist/ excepted). */
const REPO_FILE =
  /(?<![\w./@-])((?:lib|entrypoints|sandbox|test|docs|cli|bench|scripts|tools|components|public)\/[\w.$/-]*\.(?:ts|tsx|md|html|json|mjs))(?![\w*{</])/g;
/** The research notes the code once cited. (The dots are escaped, so this file does not match itself.) */
const OLD_NOTES = /cloudreve-v4\.md|(?<![\w-])platform\.md|shared\/reference/;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

describe('citations', () => {
  it('name docs/ pages and sections that exist', () => {
    const broken: string[] = [];
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(DOCS_CITATION)) {
        const page = `docs/${m[1]}`;
        if (!existsSync(page)) broken.push(`${file}:${lineOf(text, m.index)}: ${page} does not exist`);
        else if (m[2] && !hasAnchor(page, m[2]))
          broken.push(`${file}:${lineOf(text, m.index)}: ${page} has no section #${m[2]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('link Markdown documents to files and sections that exist', () => {
    const broken: string[] = [];
    for (const file of all.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(MD_LINK)) {
        const target = normalize(join(dirname(file), m[1]!));
        if (!existsSync(target)) broken.push(`${file}:${lineOf(text, m.index)}: ${m[1]} does not exist`);
        else if (m[2] && !hasAnchor(target, m[2]))
          broken.push(`${file}:${lineOf(text, m.index)}: ${m[1]} has no section #${m[2]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('name repository files that exist', () => {
    const missing: string[] = [];
    for (const file of all) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(REPO_FILE)) {
        if (!m[1]!.includes('/dist/') && !existsSync(m[1]!)) missing.push(`${file}:${lineOf(text, m.index)}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('never point at research notes outside the repository', () => {
    const mentions = all.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (OLD_NOTES.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(mentions).toEqual([]);
  });
});
