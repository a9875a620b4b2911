import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createNameRegistry, sanitizeName } from './names';

describe('sanitizeName', () => {
  it.each([
    ['a.txt', 'a.txt'],
    ['dir/sub/a.txt', 'dir/sub/a.txt'],
    ['/abs/path.txt', 'abs/path.txt'],
    ['//server/share/x', 'server/share/x'],
    ['../../etc/passwd', 'etc/passwd'],
    ['a/../b', 'a/b'],
    ['./a/./b/', 'a/b'],
    ['C:\\x', 'x'],
    ['C:\\Users\\me\\file.txt', 'Users/me/file.txt'],
    ['c:relative.txt', 'relative.txt'],
    ['a\\b', 'a/b'],
    ['a\\..\\..\\b', 'a/b'],
    ['tab\there\nnew\u0000line\u007f\u0085.txt', 'tabherenewline.txt'],
    ['cafe\u0301.txt', 'caf\u00e9.txt'],
    ['목록/파일.txt', '목록/파일.txt'],
    ['spaces and % # + 😀.txt', 'spaces and % # + 😀.txt'],
    ['x:y/z', 'y/z'],
    ['dir/C:evil', 'dir/C:evil'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeName(input)).toBe(expected);
  });

  it.each(['', '/', '..', './..', 'C:', 'C:\\', '\u0000\u0001', '\\\\'])('rejects %j with invalid-name', (input) => {
    expect(() => sanitizeName(input)).toThrow(AppError);
    try {
      sanitizeName(input);
    } catch (error) {
      expect((error as AppError).code).toBe('invalid-name');
    }
  });
});

describe('createNameRegistry', () => {
  it.each([
    [
      'renames duplicates before the extension',
      [
        ['a.txt', 'file'],
        ['a.txt', 'file'],
        ['a.txt', 'file'],
      ],
      ['a.txt', 'a (1).txt', 'a (2).txt'],
    ],
    [
      'treats names differing only in case as duplicates (Windows/macOS extract case-insensitively)',
      [
        ['Report.PDF', 'file'],
        ['report.pdf', 'file'],
      ],
      ['Report.PDF', 'report (1).pdf'],
    ],
    [
      'NFD and NFC spellings collide',
      [
        ['cafe\u0301', 'file'],
        ['caf\u00e9', 'file'],
      ],
      ['caf\u00e9', 'caf\u00e9 (1)'],
    ],
    [
      'keeps double extensions together',
      [
        ['x.tar.gz', 'file'],
        ['x.tar.gz', 'file'],
      ],
      ['x.tar.gz', 'x (1).tar.gz'],
    ],
    [
      'suffixes dotfiles and extensionless names at the end',
      [
        ['.env', 'file'],
        ['.env', 'file'],
        ['Makefile', 'file'],
        ['Makefile', 'file'],
      ],
      ['.env', '.env (1)', 'Makefile', 'Makefile (1)'],
    ],
    [
      'folders end with a slash and merge when listed twice',
      [
        ['docs', 'folder'],
        ['docs/', 'folder'],
      ],
      ['docs/', 'docs/'],
    ],
    [
      'a folder implied by a child merges with its later entry',
      [
        ['d/x.txt', 'file'],
        ['d', 'folder'],
      ],
      ['d/x.txt', 'd/'],
    ],
    [
      'a file cannot take a folder name',
      [
        ['d/x.txt', 'file'],
        ['d', 'file'],
      ],
      ['d/x.txt', 'd (1)'],
    ],
    [
      'a renamed folder takes its children along',
      [
        ['a', 'file'],
        ['a', 'folder'],
        ['a/x.txt', 'file'],
        ['a/b/y.txt', 'file'],
      ],
      ['a', 'a (1)/', 'a (1)/x.txt', 'a (1)/b/y.txt'],
    ],
    [
      'folders differing in case stay apart',
      [
        ['Docs/a', 'file'],
        ['docs/a', 'file'],
        ['Docs/b', 'file'],
      ],
      ['Docs/a', 'docs (1)/a', 'Docs/b'],
    ],
    [
      'a suffix never lands on a taken name',
      [
        ['a (1).txt', 'file'],
        ['a.txt', 'file'],
        ['a.txt', 'file'],
      ],
      ['a (1).txt', 'a.txt', 'a (2).txt'],
    ],
    [
      'unsafe names are cleaned before the duplicate check',
      [
        ['../a.txt', 'file'],
        ['/a.txt', 'file'],
      ],
      ['a.txt', 'a (1).txt'],
    ],
  ] as const)('%s', (_label, inputs, expected) => {
    const registry = createNameRegistry();
    expect(inputs.map(([name, kind]) => registry.register(name, kind))).toEqual(expected);
  });

  it('rebuilds the same state from earlier registrations (resume)', () => {
    const history = [
      { requestedName: 'a', kind: 'file' as const },
      { requestedName: 'a', kind: 'folder' as const },
      { requestedName: 'x.txt', kind: 'file' as const },
    ];
    const fresh = createNameRegistry();
    for (const entry of history) fresh.register(entry.requestedName, entry.kind);
    const resumed = createNameRegistry(history);
    for (const [name, kind] of [
      ['a/y', 'file'],
      ['x.txt', 'file'],
      ['A', 'folder'],
    ] as const) {
      expect(resumed.register(name, kind)).toBe(fresh.register(name, kind));
    }
    expect(createNameRegistry(history).register('a/z', 'file')).toBe('a (1)/z');
  });
});
