/**
 * Token refresh during a session, in the real extension: the access token is
 * refreshed ahead of its expiry (10 minutes, like the web app) while work
 * goes on, and a refresh the server refuses (40020) puts the server in
 * "sign in again" instead of retrying in a loop.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import type { ServerSecrets } from '../../lib/servers/secret-store';
import { startRig, type Rig } from '../helpers/rig';
import { send, storedSecrets } from '../../tools/extension';
import { waitForJob } from '../../tools/job-waits';

let rig: Rig;
let sandbox: Sandbox;
let page: Page;

async function storedServer(): Promise<ServerSecrets> {
  return Object.values(await storedSecrets(page))[0]!;
}

beforeAll(async () => {
  rig = await startRig();
  ({ sandbox, page } = rig);
});

afterAll(async () => {
  await rig?.close();
});

it('refreshes ahead of expiry while working, and asks to sign in again when refreshing is refused', async () => {
  const serverId = (await send(page, 'addServer', { url: sandbox.url })).id;
  // Access tokens that live 9 minutes: from sign-in on they are inside the 10-minute margin,
  // so every use refreshes first, as the web app does.
  sandbox.config.accessTtl = 9 * 60;
  await send(page, 'login', { serverId, email: 'admin@example.com', password: 'admin123' });
  const first = (await storedServer()).token!;
  expect(Date.parse(first.access_expires) - Date.now()).toBeLessThan(10 * 60_000);

  await new Promise((resolve) => setTimeout(resolve, 1100)); // a new second: a new JWT
  expect((await send(page, 'testConnection', serverId)).authState).toBe('signed-in');
  const second = (await storedServer()).token!;
  expect(second.access_token).not.toBe(first.access_token);
  expect(Date.parse(second.access_expires)).toBeGreaterThan(Date.parse(first.access_expires));

  // A job runs through with such short-lived tokens.
  const { jobId } = await send(page, 'startArchive', {
    serverId,
    sources: ['cloudreve://my/Docs'],
    name: 'refreshing.zip',
    destination: { kind: 'cloudreve', folderUri: 'cloudreve://my' },
    mode: 'browser',
  });
  expect(await waitForJob(page, jobId)).toMatchObject({ phase: 'done' });

  // The server now refuses every refresh (40020): the server shows "sign in again", once.
  const refused = { path: '/session/token/refresh', times: 1_000, code: 40020, msg: 'Failed to issue token pair' };
  sandbox.config.faults.failRequests.push(refused);
  expect((await send(page, 'testConnection', serverId)).authState).toBe('sign-in-required');
  expect((await send(page, 'listServers'))[0]?.authState).toBe('sign-in-required');
  const attempts = 1_000 - refused.times;
  expect(attempts).toBe(1);
  // Asking again does not retry the refused refresh token: no request hammers the server.
  await send(page, 'testConnection', serverId);
  expect(1_000 - refused.times).toBe(attempts);
});
