import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { createNameRegistry, nameRewrites, sanitizeName } from './names';

describe('sanitizeName', () => {
  it.each([
    ['a.txt', 'a.txt'],
    ['dir/sub/a.txt', 'dir/sub/a.txt'],
    ['/abs/path.txt', 'abs/path.txt'],
    ['//server/share/x', 'server/share/x'],
    ['../../etc/passwd', 'etc/passwd'],
    ['a/../b', 'a/b'],
    ['./a/./b/', 'a/b'],
    ['C:\\x', '_x'],
    ['C:\\Users\\me\\file.txt', '_Users_me_file.txt'],
    ['C:/Users/me/file.txt', 'Users/me/file.txt'],
    ['c:relative.txt', 'relative.txt'],
    ['a\\b', 'a_b'],
    ['a\\..\\..\\b', 'a_.._.._b'],
    ['..\\evil', '.._evil'],
    ['tab\there\nnew\u0001line\u007f\u0085.txt', 'tab\there\nnew\u0001line\u007f\u0085.txt'],
    ['nul\u0000byte', 'nul_byte'],
    ['cafe\u0301.txt', 'cafe\u0301.txt'],
    ['caf\u00e9.txt', 'caf\u00e9.txt'],
    ['rtl\u202etxt.exe', 'rtl\u202etxt.exe'],
    ['zero\u200bwidth', 'zero\u200bwidth'],
    ['%20 %2F %25 %', '%20 %2F %25 %'],
    ['목록/파일.txt', '목록/파일.txt'],
    ['spaces and % # + 😀.txt', 'spaces and % # + 😀.txt'],
    ['x:y/z', 'y/z'],
    ['dir/C:evil', 'dir/C:evil'],
    ['a'.repeat(200), 'a'.repeat(200)],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeName(input)).toBe(expected);
  });

  it.each(['', '/', '..', './..', 'C:', 'C:/', '//', '/./../'])('rejects %j with invalid-name', (input) => {
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
      'keeps names differing only in case: they are different files on the server',
      [
        ['Report.PDF', 'file'],
        ['report.pdf', 'file'],
      ],
      ['Report.PDF', 'report.pdf'],
    ],
    [
      'keeps NFD and NFC spellings apart, byte for byte',
      [
        ['cafe\u0301', 'file'],
        ['caf\u00e9', 'file'],
      ],
      ['cafe\u0301', 'caf\u00e9'],
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
      ['Docs/a', 'docs/a', 'Docs/b'],
    ],
    [
      'a backslash name that lands on an existing name gets a suffix, not the other file',
      [
        ['d/back_slash.txt', 'file'],
        ['d/back\\slash.txt', 'file'],
      ],
      ['d/back_slash.txt', 'd/back_slash (1).txt'],
    ],
    [
      'a backslash never makes a folder that is not on the server',
      [
        ['d/back\\slash.txt', 'file'],
        ['d/back', 'folder'],
      ],
      ['d/back_slash.txt', 'd/back/'],
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
      ['a', 'folder'],
    ] as const) {
      expect(resumed.register(name, kind)).toBe(fresh.register(name, kind));
    }
    expect(createNameRegistry(history).register('a/z', 'file')).toBe('a (1)/z');
  });
});

describe('nameRewrites', () => {
  it.each([
    ['dir/a.txt', 'dir/a.txt', []],
    ['dir/', 'dir/', []],
    ['cafe\u0301', 'cafe\u0301', []],
    ['d/back\\slash.txt', 'd/back_slash.txt', ['backslash']],
    ['d/back\\slash.txt', 'd/back_slash (1).txt', ['backslash', 'duplicate']],
    ['../a.txt', 'a.txt', ['unsafe']],
    ['nul\u0000', 'nul_', ['unsafe']],
    ['a.txt', 'a (1).txt', ['duplicate']],
  ] as const)('%j → %j: %j', (requested, final, reasons) => {
    expect(nameRewrites(requested, final)).toEqual(reasons);
  });
});
