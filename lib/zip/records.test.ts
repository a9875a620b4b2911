import { describe, expect, it } from 'vitest';
import {
  centralDirectoryHeader,
  dataDescriptor,
  endOfCentralDirectory,
  FLAG_DATA_DESCRIPTOR,
  FLAG_UTF8,
  localFileHeader,
  needsZip64End,
  versionNeeded,
  zip64EndLocator,
  zip64EndRecord,
  type EntryRecordInfo,
} from './records';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** Fixtures are written as spaced hex, one field per group, in APPNOTE field order. */
const fixture = (text: string) => text.replace(/\s+/g, '');

const HELLO: EntryRecordInfo = {
  nameBytes: new TextEncoder().encode('a.txt'),
  kind: 'file',
  method: 'store',
  flags: FLAG_DATA_DESCRIPTOR,
  dos: { date: 0x5821, time: 0x7c00 },
  unixSeconds: null,
  crc: 0x3610a686,
  compressedSize: 5,
  size: 5,
  offset: 0,
  zip64Local: false,
};

describe('records', () => {
  it('local file header of a streamed stored file (APPNOTE 4.3.7, crc and sizes zero under bit 3)', () => {
    expect(hex(localFileHeader(HELLO))).toBe(
      fixture(`504b0304 0a00 0800 0000 007c 2158 00000000 00000000 00000000 0500 0000 612e747874`),
    );
  });

  it('data descriptor, 32-bit (APPNOTE 4.3.9)', () => {
    expect(hex(dataDescriptor(HELLO))).toBe(fixture(`504b0708 86a61036 05000000 05000000`));
  });

  it('central directory header (APPNOTE 4.3.12) with UNIX mode 0100644', () => {
    expect(hex(centralDirectoryHeader({ ...HELLO, offset: 0x1234 }))).toBe(
      fixture(`504b0102 0a03 0a00 0800 0000 007c 2158 86a61036 05000000 05000000
               0500 0000 0000 0000 0000 0000a481 34120000 612e747874`),
    );
  });

  it('folder: version 2.0, directory attributes, no descriptor flag', () => {
    const folder: EntryRecordInfo = {
      ...HELLO,
      nameBytes: new TextEncoder().encode('d/'),
      kind: 'folder',
      flags: 0,
      crc: 0,
      size: 0,
      compressedSize: 0,
    };
    expect(hex(localFileHeader(folder))).toBe(
      fixture(`504b0304 1400 0000 0000 007c 2158 00000000 00000000 00000000 0200 0000 642f`),
    );
    expect(hex(centralDirectoryHeader(folder))).toBe(
      fixture(`504b0102 1403 1400 0000 0000 007c 2158 00000000 00000000 00000000
               0200 0000 0000 0000 0000 1000ed41 00000000 642f`),
    );
  });

  it('extended timestamp 0x5455 follows the name in both headers', () => {
    const info = {
      ...HELLO,
      unixSeconds: 1_600_000_000,
      method: 'deflate' as const,
      flags: FLAG_DATA_DESCRIPTOR | FLAG_UTF8,
    };
    expect(hex(localFileHeader(info))).toBe(
      fixture(`504b0304 1400 0808 0800 007c 2158 00000000 00000000 00000000 0500 0900 612e747874
               5554 0500 01 00105e5f`),
    );
    expect(
      hex(centralDirectoryHeader(info)).endsWith(
        fixture(`0500 0900 0000 0000 0000 0000a481 00000000 612e747874 5554 0500 01 00105e5f`),
      ),
    ).toBe(true);
  });

  it('ZIP64 local header carries both sizes (zero under bit 3) and the descriptor 8-byte sizes (APPNOTE 4.3.9.2, 4.5.3)', () => {
    const big = { ...HELLO, zip64Local: true, size: 0x100500000, compressedSize: 0x100500000, crc: 0x01020304 };
    expect(hex(localFileHeader(big))).toBe(
      fixture(`504b0304 2d00 0800 0000 007c 2158 00000000 ffffffff ffffffff 0500 1400 612e747874
               0100 1000 0000000000000000 0000000000000000`),
    );
    expect(hex(dataDescriptor(big))).toBe(fixture(`504b0708 04030201 0000500001000000 0000500001000000`));
  });

  it('central ZIP64 extra holds only the overflowing fields, in 4.5.3 order', () => {
    const offsetOnly = { ...HELLO, offset: 0x180000000 };
    expect(versionNeeded(offsetOnly)).toBe(45);
    expect(hex(centralDirectoryHeader(offsetOnly))).toBe(
      fixture(`504b0102 2d03 2d00 0800 0000 007c 2158 86a61036 05000000 05000000
               0500 0c00 0000 0000 0000 0000a481 ffffffff 612e747874 0100 0800 0000008001000000`),
    );
    const all = { ...HELLO, size: 0x200000000, compressedSize: 0xffffffff, offset: 0x100000000 };
    expect(hex(centralDirectoryHeader(all)).slice(40, 56)).toBe(fixture(`ffffffff ffffffff`));
    expect(hex(centralDirectoryHeader(all)).slice(-56)).toBe(
      fixture(`0100 1800 0000000002000000 ffffffff00000000 0000000001000000`),
    );
  });

  it('version needed: 1.0 store, 2.0 deflate, 4.5 only with ZIP64', () => {
    expect(versionNeeded(HELLO)).toBe(10);
    expect(versionNeeded({ ...HELLO, method: 'deflate' })).toBe(20);
    expect(versionNeeded({ ...HELLO, zip64Local: true })).toBe(45);
    expect(versionNeeded({ ...HELLO, size: 0xfffffffe, compressedSize: 0xfffffffe, offset: 0xfffffffe })).toBe(10);
    expect(versionNeeded({ ...HELLO, size: 0xffffffff })).toBe(45);
  });

  it('end of central directory record (APPNOTE 4.3.16)', () => {
    expect(hex(endOfCentralDirectory({ count: 1, size: 51, offset: 56 }))).toBe(
      fixture(`504b0506 0000 0000 0100 0100 33000000 38000000 0000`),
    );
  });

  it('ZIP64 end record, locator, and a classic end record with only the overflowing fields at -1', () => {
    const dir = { count: 70_000, size: 0x2000, offset: 0x123456789 };
    expect(needsZip64End(dir)).toBe(true);
    expect(needsZip64End({ count: 65_534, size: 1, offset: 0xfffffffe })).toBe(false);
    expect(needsZip64End({ count: 65_535, size: 1, offset: 1 })).toBe(true);
    expect(hex(zip64EndRecord(dir))).toBe(
      fixture(`504b0606 2c00000000000000 2d03 2d00 00000000 00000000 7011010000000000 7011010000000000
               0020000000000000 8967452301000000`),
    );
    expect(hex(zip64EndLocator(0x123458789))).toBe(fixture(`504b0607 00000000 8987452301000000 01000000`));
    expect(hex(endOfCentralDirectory(dir))).toBe(fixture(`504b0506 0000 0000 ffff ffff 00200000 ffffffff 0000`));
  });
});
