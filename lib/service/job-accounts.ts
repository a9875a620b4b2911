/**
 * Jobs belong to the account that made them (issue 15: the popup mixed accounts after a switch on
 * one server, and acted on the first account's tasks with the second one's token). Every Cloudreve
 * job records its account at creation; the worker refuses to act on a job with another account's
 * token, and the popup shows other accounts' rows apart, without actions.
 */
import { storage } from '#imports';
import { AppError } from '../errors';
import type { JobStore } from '../jobs/store';
import type { Job, JobAccount } from '../jobs/types';
import type { ServerRegistry } from '../servers/registry';
import { accountRef, sameAccount, type ServerRecord } from '../servers/types';

/** Set once the jobs made before accounts were recorded got theirs (the upgrade runs once). */
export const jobAccountsFilledItem = storage.defineItem<boolean>('local:jobAccountsFilled', { fallback: false });

/** Refuses to act for `owner` while `server` is signed in with someone else (or nobody known). */
export function requireAccount(server: Pick<ServerRecord, 'kind' | 'account'>, owner: JobAccount | undefined): void {
  // A WebDAV server record is one account: its credentials are the record's own.
  if (server.kind !== 'cloudreve') return;
  if (sameAccount(owner, server.account)) return;
  throw new AppError(
    'other-account',
    owner?.email ?? 'unknown account',
    owner ? { owner: owner.email, current: server.account?.email } : { current: server.account?.email },
  );
}

/** A share link's anonymous visitor's job: it sends no token, so no account's token can be misused by it. */
export const isAnonymousJob = (job: Job): boolean => job.kind === 'browser' && job.anonymous === true;

/** `requireAccount` for a job, looked up in the registry; a job whose server is gone passes (nothing to send). */
export async function requireJobAccount(registry: Pick<ServerRegistry, 'list'>, job: Job): Promise<void> {
  if (isAnonymousJob(job)) return;
  const server = (await registry.list()).find((record) => record.id === job.serverId);
  if (server) requireAccount(server, job.account);
}

/**
 * Jobs saved before accounts were recorded take their server's account as it is at the first start
 * of this version (the account that made them, unless the user switched before upgrading); a job
 * whose server had no known account stays without one and shows as "unknown account". Runs once.
 */
export async function fillJobAccounts(store: JobStore, registry: Pick<ServerRegistry, 'list'>): Promise<number> {
  if (await jobAccountsFilledItem.getValue()) return 0;
  const servers = new Map((await registry.list()).map((server) => [server.id, server]));
  let filled = 0;
  for (const job of await store.list()) {
    const server = servers.get(job.serverId);
    const account = server?.kind === 'cloudreve' ? accountRef(server.account) : undefined;
    if (job.account || !account || isAnonymousJob(job)) continue;
    await store.put({ ...job, account });
    filled += 1;
  }
  await jobAccountsFilledItem.setValue(true);
  return filled;
}

/**
 * Each server's account as the registry last saved it, kept in memory so every request of a running
 * job can be checked without a storage read: a job of account A whose server switches to B fails
 * with `other-account` at its next request (a retry resumes it once A is back) instead of sending
 * B's token for A's files.
 */
export function createAccountGuard(registry: Pick<ServerRegistry, 'list' | 'onChange'>) {
  let servers = new Map<string, ServerRecord>();
  const remember = (records: ServerRecord[]) => void (servers = new Map(records.map((record) => [record.id, record])));
  registry.onChange(remember);
  let loaded: Promise<void> | undefined;
  return {
    /** Reads the registry once; `check` is synchronous after it. */
    ready: () => (loaded ??= registry.list().then(remember)),
    check(job: Job): void {
      if (isAnonymousJob(job)) return;
      const server = servers.get(job.serverId);
      if (server) requireAccount(server, job.account);
    },
  };
}

export type AccountGuard = ReturnType<typeof createAccountGuard>;
