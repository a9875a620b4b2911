/**
 * The archive engine from a terminal (issue: "the same engine runs in Node …
 * as a small command-line tool"): the same sources, zip writer, job state
 * machine and destinations as the extension, with a disk spool instead of OPFS.
 *
 *   npm run archive -- --cloudreve URL --email E [--otp CODE] URI… (--to cloudreve://my/dir | --out DIR)
 *   npm run archive -- --webdav URL --user U PATH… (--to /dir | --out DIR)
 *
 * The password comes from $CLOUDREVE_ARCHIVER_PASSWORD or a prompt (cli/password.ts).
 */
import 'fake-indexeddb/auto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ArchiveDestination, ArchiveSource } from '../lib/archive/types';
import { parsePartSize } from '../lib/archive/part-plan';
import { createTokenManager, type TokenPair } from '../lib/cloudreve/auth';
import { createCloudreveClient } from '../lib/cloudreve/client';
import { createCloudreveDestination } from '../lib/cloudreve/destination';
import { createCloudreveSource } from '../lib/cloudreve/source';
import { runBrowserArchive } from '../lib/jobs/browser-archive';
import { createJobStore } from '../lib/jobs/store';
import { queuedBrowserJob } from '../lib/jobs/types';
import { createRetryingFetch } from '../lib/net/retrying-fetch';
import { JOB_RETRY } from '../lib/net/retry-policy';
import { createDavClient } from '../lib/webdav/client';
import { createDavDestination } from '../lib/webdav/destination';
import { createDavSource } from '../lib/webdav/source';
import { createFileDestination } from './file-destination';
import { nodeDeflater } from './node-deflate';
import { PASSWORD_ENV, promptHidden, readPassword } from './password';
import { streamingFetch } from './node-fetch';
import { createNodeSpool } from './node-spool';
import { createProgressLine } from './progress-line';

const USAGE = `Usage:
  npm run archive -- --cloudreve URL --email E [--otp CODE] URI... (--to cloudreve://my/DIR | --out DIR)
  npm run archive -- --webdav URL --user U PATH... (--to /DIR | --out DIR)
Options: --name NAME.zip  --store | --level 1-9  --split SIZE  --stop-on-unreadable  --json  --quiet
  --split 4G | 700M | fat32 | max: independent zips NAME.part1.zip, … of at most SIZE each
  (max: the destination's largest file).
The password is read from $${PASSWORD_ENV}, else asked for on the terminal.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    cloudreve: { type: 'string' },
    webdav: { type: 'string' },
    email: { type: 'string' },
    user: { type: 'string' },
    password: { type: 'string' },
    otp: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    name: { type: 'string' },
    store: { type: 'boolean' },
    level: { type: 'string' },
    split: { type: 'string' },
    json: { type: 'boolean' },
    'stop-on-unreadable': { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (positionals.length === 0) fail('Name at least one file or folder to archive.');
if (!values.to === !values.out) fail('Give exactly one of --to (on the server) or --out (a local folder).');
const password =
  (await readPassword({
    flag: values.password,
    env: process.env,
    prompt: process.stdin.isTTY ? promptHidden : undefined,
    warn: (message) => console.error(message),
  })) || fail(`No password: set ${PASSWORD_ENV} or run the tool in a terminal.`);

async function cloudreveParts(origin: string): Promise<{ source: ArchiveSource; destination?: ArchiveDestination }> {
  let pair: TokenPair | undefined;
  const tokens = createTokenManager({
    origin,
    fetch: streamingFetch,
    store: { load: async () => pair, save: async (next) => void (pair = next) },
  });
  const login = await tokens.login({ email: values.email ?? fail('--email is required.'), password });
  if (login.kind === 'two-factor')
    await tokens.loginTwoFactor(login.sessionId, values.otp ?? fail('This account needs --otp.'));
  // Every request of the job is retried under the extension's job policy (lib/net/retry-policy.ts).
  const client = createCloudreveClient({
    origin,
    fetch: createRetryingFetch(streamingFetch, JOB_RETRY),
    getAccessToken: () => tokens.getAccessToken(),
  });
  return {
    source: createCloudreveSource({ client, selection: positionals, bodyRetry: JOB_RETRY }),
    destination: values.to ? createCloudreveDestination({ client, folderUri: values.to }) : undefined,
  };
}

function davParts(url: string): { source: ArchiveSource; destination?: ArchiveDestination } {
  const client = createDavClient({
    url,
    username: values.user ?? fail('--user is required.'),
    password,
    fetch: createRetryingFetch(streamingFetch, JOB_RETRY),
  });
  const folder = values.to?.replace(/^\/+|\/+$/g, '') ?? '';
  return {
    source: createDavSource({ client, selection: positionals, bodyRetry: JOB_RETRY }),
    destination: values.to !== undefined ? createDavDestination({ client, folder }) : undefined,
  };
}

/**
 * The archive's default name from a selected item: its last segment. A Cloudreve URI
 * is percent-encoded, so its segment is decoded (and kept as typed when it is not valid
 * encoding, e.g. a name ending in `%`); a WebDAV path is the name itself, `%20` included.
 */
function itemName(item: string, isUri: boolean): string {
  const last = item.replace(/\/+$/, '').split('/').pop() || 'archive';
  if (!isUri) return last;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const parts = values.cloudreve
  ? await cloudreveParts(new URL(values.cloudreve).origin)
  : values.webdav
    ? davParts(values.webdav)
    : fail('Give --cloudreve URL or --webdav URL.');
const destination = parts.destination ?? createFileDestination(values.out!);
const name =
  values.name ?? (positionals.length === 1 ? `${itemName(positionals[0]!, !!values.cloudreve)}.zip` : 'archive.zip');
const level = values.level ? Number(values.level) : 6;
const split =
  values.split === undefined
    ? undefined
    : values.split === 'max'
      ? ('destination-limit' as const)
      : (parsePartSize(values.split) ?? fail(`--split ${values.split}: give a size of at least 64K, e.g. 4G.`));

const started = performance.now();
const job = queuedBrowserJob({
  id: `cli-${Date.now()}`,
  serverId: 'cli',
  name,
  sources: positionals,
  destination: { kind: 'download' },
  createdAt: Date.now(),
  route: values.cloudreve ? 'cloudreve' : 'webdav',
  compression: { mode: values.store ? 'store' : 'auto', level },
  stopOnUnreadable: !!values['stop-on-unreadable'],
  ...(split !== undefined && { split: { partBytes: split } }),
});
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const progress = createProgressLine(process.stderr, values.quiet || values.json);
const final = await runBrowserArchive(job, {
  store: createJobStore(job.id),
  spool: await createNodeSpool(await mkdtemp(join(tmpdir(), 'cloudreve-archiver-spool-'))),
  source: parts.source,
  destination,
  signal: controller.signal,
  onUpdate: progress.update,
  deflater: nodeDeflater,
});
progress.done(final);
const report = {
  phase: final.phase,
  result: final.result,
  parts: final.split?.done,
  files: final.progress.filesTotal,
  bytes: final.progress.bytesTotal,
  skipped: final.progress.skipped,
  unreadable: final.unreadable ?? [],
  renamed: final.renamed ?? [],
  placeholdersLeft: final.placeholdersLeft ?? [],
  seconds: (performance.now() - started) / 1000,
  maxRssMiB: process.resourceUsage().maxRSS / 1024,
  error: final.error,
};
if (values.json) console.log(JSON.stringify(report));
else {
  for (const item of report.unreadable) console.error(`could not read ${JSON.stringify(item.path)}: ${item.reason}`);
  for (const entry of report.renamed)
    console.error(
      `renamed ${JSON.stringify(entry.path)} → ${JSON.stringify(entry.name)} (${entry.reasons.join(', ')})`,
    );
  for (const name of report.placeholdersLeft)
    console.error(
      `an empty upload placeholder ${JSON.stringify(name)} may be this run's own (the answer to its claim was lost); not deleted`,
    );
  const unreadable = report.skipped ? `; ${report.skipped} could not be read` : '';
  if (final.phase === 'done' && report.parts && report.parts.length > 1)
    for (const part of report.parts) console.log(`${part.name} (${part.size} bytes) → ${final.result!.location}`);
  else if (final.phase === 'done')
    console.log(`${final.result!.name} (${final.result!.size} bytes) → ${final.result!.location}${unreadable}`);
  else console.error(`${final.phase}: ${final.error?.message ?? ''}`);
}
process.exit(final.phase === 'done' ? 0 : 1);
