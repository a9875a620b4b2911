import { describe, expect, it } from 'vitest';
import { createCloudreveClient } from './client';
import { fileExists, getDownloadUrls, listAll, walkSelection } from './files';
import { createFakeDrive } from './testing/fake-drive';
import { createFakeFetch, envelope, ok } from './testing/fake-fetch';

const tree = {
  'a b.txt': 'hello',
  Docs: {
    '2024 reports (final)': { '100% #1 + & ?.txt': 'odd', 'empty dir': {} },
    '中文.md': '你好',
    '😀.png': 'smile',
  },
  'z.bin': 'zz',
};

function setup() {
  const drive = createFakeDrive(tree);
  const fake = createFakeFetch(drive.routes);
  const client = createCloudreveClient({
    origin: 'https://cloud.example',
    fetch: fake.fetch,
    getAccessToken: async () => 'T',
  });
  return { drive, client, calls: fake.calls };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('listAll', () => {
  it('follows cursor pagination', async () => {
    const { client, calls } = setup();
    const names = (await collect(listAll(client, 'cloudreve://my/Docs'))).map((file) => file.name);
    expect(names).toEqual(['2024 reports (final)', '中文.md', '😀.png']);
    expect(calls.map((call) => call.url.searchParams.get('next_page_token'))).toEqual([null, '2']);
    // page_size shrinks to the server's max_page_size after the first answer
    expect(calls.map((call) => call.url.searchParams.get('page_size'))).toEqual(['1000', '2']);
  });

  it('follows offset pagination', async () => {
    const pages = [
      { files: [{ name: 'a' }], pagination: { page: 0, page_size: 1, total_items: 2 }, props: { max_page_size: 1 } },
      { files: [{ name: 'b' }], pagination: { page: 1, page_size: 1, total_items: 2 }, props: { max_page_size: 1 } },
    ];
    const fake = createFakeFetch([['GET /api/v4/file', ({ url }) => ok(pages[Number(url.searchParams.get('page'))])]]);
    const client = createCloudreveClient({
      origin: 'https://cloud.example',
      fetch: fake.fetch,
      getAccessToken: async () => 'T',
    });
    expect((await collect(listAll(client, 'cloudreve://my'))).map((file) => file.name)).toEqual(['a', 'b']);
  });
});

describe('listAll over 10,000 items (issue 15: "archive this folder" walks every page)', () => {
  it("follows next_page_token through every page at the server's max_page_size", async () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `f${String(i).padStart(5, '0')}`);
    const MAX = 500;
    const fake = createFakeFetch([
      [
        'GET /api/v4/file',
        ({ url }) => {
          const from = Number(url.searchParams.get('next_page_token') ?? 0);
          const size = Math.min(Number(url.searchParams.get('page_size')), MAX);
          const next = from + size;
          return ok({
            files: names.slice(from, next).map((name) => ({ name })),
            pagination: {
              page: 0,
              page_size: size,
              is_cursor: true,
              ...(next < names.length && { next_token: String(next) }),
            },
            props: { max_page_size: MAX },
          });
        },
      ],
    ]);
    const client = createCloudreveClient({
      origin: 'https://cloud.example',
      fetch: fake.fetch,
      getAccessToken: async () => 'T',
    });
    const listed = (await collect(listAll(client, 'cloudreve://my/big'))).map((file) => file.name);
    expect(listed).toEqual(names);
    // page_size starts at 1000 and shrinks to the server's 500 after the first answer.
    expect(fake.calls).toHaveLength(names.length / MAX);
  });
});

describe('walkSelection', () => {
  it('names entries relative to the selected items’ parent, folders first, depth-first', async () => {
    const { client, drive } = setup();
    const selection = [
      'cloudreve://my/Docs/2024%20reports%20(final)',
      'cloudreve://my/a%20b.txt',
      'cloudreve://my/Docs/%E4%B8%AD%E6%96%87.md',
    ];
    const entries = await collect(walkSelection(client, selection, new AbortController().signal));
    expect(entries.map((entry) => [entry.kind, entry.name, entry.size])).toEqual([
      ['folder', '2024 reports (final)', 0],
      ['file', '2024 reports (final)/100% #1 + & ?.txt', 3],
      ['folder', '2024 reports (final)/empty dir', 0],
      ['file', 'a b.txt', 5],
      ['file', '中文.md', 6],
    ]);
    const odd = entries[1]!;
    expect(odd.ref).toBe('cloudreve://my/Docs/2024%20reports%20(final)/100%25%20%231%20%2B%20%26%20%3F.txt');
    expect(odd.modified).toBe(Date.parse(drive.files.get(odd.ref)!.updated_at));
  });

  it('walks a whole tree from a top-level folder', async () => {
    const { client } = setup();
    const entries = await collect(walkSelection(client, ['cloudreve://my/Docs'], new AbortController().signal));
    expect(entries.map((entry) => entry.name)).toEqual([
      'Docs',
      'Docs/2024 reports (final)',
      'Docs/2024 reports (final)/100% #1 + & ?.txt',
      'Docs/2024 reports (final)/empty dir',
      'Docs/中文.md',
      'Docs/😀.png',
    ]);
  });

  it('skips shared-folder links inside walked folders', async () => {
    const { client, drive } = setup();
    drive.files.get('cloudreve://my/Docs/%F0%9F%98%80.png')!.metadata = {
      'sys:shared_redirect': 'cloudreve://x@share',
    };
    const entries = await collect(walkSelection(client, ['cloudreve://my/Docs'], new AbortController().signal));
    expect(entries.map((entry) => entry.name)).not.toContain('Docs/😀.png');
  });

  it('fails with not-found for a vanished selected item', async () => {
    const { client } = setup();
    await expect(
      collect(walkSelection(client, ['cloudreve://my/gone'], new AbortController().signal)),
    ).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('getDownloadUrls', () => {
  it('batches requests with skip_error and maps empty slots to null', async () => {
    const { client, calls } = setup();
    const uris = ['cloudreve://my/a%20b.txt', 'cloudreve://my/gone', 'cloudreve://my/z.bin'];
    const { urls, expires } = await getDownloadUrls(client, uris, { batchSize: 2 });
    expect(urls[0]).toMatch(/\/api\/v4\/file\/content\/id0\//);
    expect(urls[1]).toBeNull();
    expect(urls[2]).toMatch(/\/file\/content\//);
    expect(expires).toBeGreaterThan(Date.now());
    expect(calls.map((call) => call.json)).toEqual([
      { uris: uris.slice(0, 2), skip_error: true },
      { uris: uris.slice(2), skip_error: true },
    ]);
  });

  it('never sends more than 3000 URIs per call', async () => {
    const sizes: number[] = [];
    const fake = createFakeFetch([
      [
        'POST /api/v4/file/url',
        ({ json }) => {
          const { uris } = json as { uris: string[] };
          sizes.push(uris.length);
          return ok({ urls: uris.map(() => ({ url: 'https://cloud.example/c' })), expires: null });
        },
      ],
    ]);
    const client = createCloudreveClient({
      origin: 'https://cloud.example',
      fetch: fake.fetch,
      getAccessToken: async () => 'T',
    });
    const uris = Array.from({ length: 3500 }, (_, i) => `cloudreve://my/${i}`);
    const { urls, expires } = await getDownloadUrls(client, uris, { batchSize: 10_000 });
    expect(sizes).toEqual([3000, 500]);
    expect(urls).toHaveLength(3500);
    expect(expires).toBeUndefined();
  });
});

describe('fileExists', () => {
  it('is true for existing, false for 40016, and rethrows other errors', async () => {
    const { client } = setup();
    await expect(fileExists(client, 'cloudreve://my/z.bin')).resolves.toBe(true);
    await expect(fileExists(client, 'cloudreve://my/nope')).resolves.toBe(false);
    const fake = createFakeFetch([['GET /api/v4/file/info', () => envelope(401, undefined, 'Login required')]]);
    const anonymous = createCloudreveClient({
      origin: 'https://cloud.example',
      fetch: fake.fetch,
      getAccessToken: async () => undefined,
    });
    await expect(fileExists(anonymous, 'cloudreve://my/z.bin')).rejects.toMatchObject({ code: 'sign-in-required' });
  });
});
