/**
 * The harness reproduces the Depth: infinity behaviour the walk must live with (docs/webdav-servers.md#depth-infinity).
 */
import { expect, it } from 'vitest';
import { basicAuth } from '@/lib/webdav/client';
import { startApache, startNginx, type DavServer } from '../../../tools/dav-servers';

async function infinityStatus(server: DavServer): Promise<number> {
  try {
    const response = await fetch(server.url, {
      method: 'PROPFIND',
      headers: { Depth: 'infinity', Authorization: basicAuth('u', 'p') },
    });
    await response.body?.cancel();
    return response.status;
  } finally {
    await server.stop();
  }
}

it('Apache refuses Depth: infinity by default and allows it on request; nginx always refuses', async () => {
  expect(await infinityStatus(await startApache())).toBe(403);
  expect(await infinityStatus(await startApache({ depthInfinity: true }))).toBe(207);
  expect(await infinityStatus(await startNginx())).toBe(403);
});
