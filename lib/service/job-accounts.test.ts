import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { JobStore } from '../jobs/store';
import type { Job } from '../jobs/types';
import { newBrowserJob } from '../jobs/testing/browser-job';
import type { ServerRecord } from '../servers/types';
import { createAccountGuard, fillJobAccounts, requireAccount } from './job-accounts';

const alice = { id: 'u1', email: 'alice@example.com' };
const bob = { id: 'u2', email: 'bob@example.com' };
const record = (account?: typeof alice): ServerRecord => ({
  id: 's1',
  origin: 'http://127.0.0.1:9',
  kind: 'cloudreve',
  label: 's',
  addedAt: 0,
  account,
});

function memoryStore(jobs: Job[]) {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const store = {
    list: async () => [...byId.values()],
    put: async (job: Job) => void byId.set(job.id, job),
  } as unknown as JobStore;
  return { store, byId };
}

beforeEach(() => fakeBrowser.reset());

describe('requireAccount', () => {
  it("refuses another account's job, and one of an unknown account, with a coded error", () => {
    expect(() => requireAccount(record(bob), alice)).toThrow(expect.objectContaining({ code: 'other-account' }));
    expect(() => requireAccount(record(bob), undefined)).toThrow(expect.objectContaining({ code: 'other-account' }));
    expect(() => requireAccount(record(alice), { email: 'ALICE@example.com' })).not.toThrow();
    expect(() => requireAccount({ ...record(bob), kind: 'webdav' }, undefined)).not.toThrow();
  });
});

describe('fillJobAccounts', () => {
  it("gives old jobs their server's current account once; jobs of a server with none stay unknown", async () => {
    const { store, byId } = memoryStore([
      newBrowserJob('old', { serverId: 's1' }),
      newBrowserJob('kept', { serverId: 's1', account: bob }),
      newBrowserJob('orphan', { serverId: 'gone' }),
    ]);
    const registry = { list: async () => [record(alice)] };
    expect(await fillJobAccounts(store, registry)).toBe(1);
    expect(byId.get('old')!.account).toEqual(alice);
    expect(byId.get('kept')!.account).toEqual(bob);
    expect(byId.get('orphan')!.account).toBeUndefined();
    // Once only: a later switch to Bob does not hand him the old jobs.
    byId.set('old2', newBrowserJob('old2', { serverId: 's1' }));
    expect(await fillJobAccounts(store, { list: async () => [record(bob)] })).toBe(0);
    expect(byId.get('old2')!.account).toBeUndefined();
  });
});

describe('createAccountGuard', () => {
  it('stops a running job at its next request once its server is signed in with another account', async () => {
    let onChange: ((servers: ServerRecord[]) => void) | undefined;
    const guard = createAccountGuard({
      list: async () => [record(alice)],
      onChange: (listener) => ((onChange = listener), () => undefined),
    });
    await guard.ready();
    const job = newBrowserJob('j', { serverId: 's1', account: alice });
    expect(() => guard.check(job)).not.toThrow();
    onChange!([record(bob)]);
    expect(() => guard.check(job)).toThrow(expect.objectContaining({ code: 'other-account' }));
  });
});
