import { describe, expect, it } from 'vitest';
import { createCloudreveClient } from './client';
import { createCloudreveDestination } from './destination';
import { numberedName } from '../archive/free-name';
import { createFakeFetch, envelope, ok } from './testing/fake-fetch';

const folderUri = 'cloudreve://my/Docs%20%26%20more';

function setup(existing: string[]) {
  const names = new Set(existing);
  const fake = createFakeFetch([
    [
      'GET /api/v4/file/info',
      ({ url }) => {
        const uri = url.searchParams.get('uri')!;
        const name = decodeURIComponent(uri.slice(folderUri.length + 1));
        return names.has(name) ? ok({ name, size: 3, path: uri }) : envelope(40016, undefined, 'Path not exist');
      },
    ],
    [
      'PUT /api/v4/file/upload',
      ({ json }) => {
        const name = decodeURIComponent(String((json as { uri: string }).uri).slice(folderUri.length + 1));
        if (names.has(name)) return envelope(40004, undefined, 'Object existed');
        names.add(name);
        const storage_policy = { id: 'p', name: 'Default', type: 'local', max_size: 0 };
        return ok({ session_id: 's', chunk_size: 0, expires: 0, uri: json, storage_policy });
      },
    ],
    ['POST *', () => ok()],
  ]);
  const client = createCloudreveClient({
    origin: 'https://cloud.example',
    fetch: fake.fetch,
    getAccessToken: async () => 'T',
  });
  return { destination: createCloudreveDestination({ client, folderUri }), calls: fake.calls, names };
}

describe('numberedName', () => {
  it.each([
    ['archive.zip', 0, 'archive.zip'],
    ['archive.zip', 1, 'archive (1).zip'],
    ['my.photos.zip', 2, 'my.photos (2).zip'],
    ['README', 3, 'README (3)'],
    ['.zip', 1, '.zip (1)'],
  ])('%s #%i → %s', (name, n, expected) => {
    expect(numberedName(name, n)).toBe(expected);
  });
});

describe('createCloudreveDestination', () => {
  const signal = new AbortController().signal;

  it('labels itself with the folder URI', () => {
    expect(setup([]).destination.label).toBe(folderUri);
  });

  it.each([
    [[], 'archive.zip'],
    [['archive.zip'], 'archive (1).zip'],
    [['archive.zip', 'archive (1).zip', 'archive (2).zip'], 'archive (3).zip'],
    [['archive (1).zip'], 'archive.zip'],
  ])('with %j existing picks %s', async (existing, expected) => {
    const { destination, calls } = setup(existing);
    await expect(destination.freeName('archive.zip', signal)).resolves.toBe(expected);
    expect(calls.at(-1)!.url.searchParams.get('uri')).toBe(`${folderUri}/${encodeURIComponent(expected)}`);
  });

  it('gives up after 100 taken names', async () => {
    const taken = Array.from({ length: 100 }, (_, n) => numberedName('a.zip', n));
    await expect(setup(taken).destination.freeName('a.zip', signal)).rejects.toMatchObject({
      code: 'destination-exists',
    });
  });

  it('stores the blob and reports name and size', async () => {
    const { destination, calls } = setup([]);
    await expect(destination.store(new Blob(['abc']), '中文 #1.zip', { signal })).resolves.toEqual({
      name: '中文 #1.zip',
      size: 3,
    });
    const claim = calls.find((call) => call.method === 'PUT')!;
    expect(claim.json).toMatchObject({ uri: `${folderUri}/%E4%B8%AD%E6%96%87%20%231.zip`, size: 3 });
  });

  it('rejects with destination-exists when the name was taken meanwhile', async () => {
    const { destination } = setup(['x.zip']);
    await expect(destination.store(new Blob(['abc']), 'x.zip', { signal })).rejects.toMatchObject({
      code: 'destination-exists',
    });
  });

  it('rejects with size-mismatch when the stored size differs', async () => {
    const { destination } = setup([]);
    await expect(destination.store(new Blob(['abcd']), 'y.zip', { signal })).rejects.toMatchObject({
      code: 'size-mismatch',
    });
  });
});

describe('discarding an interrupted upload', () => {
  it('cancels the recorded session (which removes its placeholder) and nothing else', async () => {
    const fake = createFakeFetch([['DELETE /api/v4/file/upload', () => ok(undefined)]]);
    const client = createCloudreveClient({
      origin: 'https://cloud.example',
      fetch: fake.fetch,
      getAccessToken: async () => 'T',
    });
    const destination = createCloudreveDestination({ client, folderUri });
    const uri = `${folderUri}/a.zip`;
    await destination.discard!({ kind: 'webdav', size: 1, temp: '.a.zip.part-1' }, new AbortController().signal);
    await destination.discard!({ kind: 'cloudreve', uri, size: 9 }, new AbortController().signal);
    expect(fake.calls).toHaveLength(0);
    const session = { id: 'sess-1', chunkSize: 4, expires: 0, done: [] };
    await destination.discard!({ kind: 'cloudreve', uri, size: 9, session }, new AbortController().signal);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.json).toEqual({ id: 'sess-1', uri });
  });
});
