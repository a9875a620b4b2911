import { parseArgs } from 'node:util';
import type { SandboxConfigInput } from './config';
import { loadConfigFile } from './config';
import { startSandbox } from './server';
import { totpCode } from './totp';

const USAGE = `npm run sandbox -- [options]

  --port <n>            loopback port (default: a free one)
  --config <file.json>  config file (see sandbox/README.md)
  --latency <ms>        delay added to every request
  --task-step <ms>      delay between archive task states
  --chunk-size <bytes>  storage policy chunk size
  --login-captcha       require the captcha on password login
  --site-version <v>    /site/ping version (e.g. 4.18.0-pro)
  --placeholder-page    do not build sandbox/page; serve a placeholder
  --keep-root           keep the temporary file root on exit
  --help`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    config: { type: 'string' },
    latency: { type: 'string' },
    'task-step': { type: 'string' },
    'chunk-size': { type: 'string' },
    'login-captcha': { type: 'boolean' },
    'site-version': { type: 'string' },
    'placeholder-page': { type: 'boolean' },
    'keep-root': { type: 'boolean' },
    help: { type: 'boolean' },
  },
});

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const num = (text: string | undefined, flag: string): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${flag} needs a non-negative number`);
  return value;
};

const input: SandboxConfigInput = values.config ? await loadConfigFile(values.config) : {};
const latency = num(values.latency, 'latency');
const taskStep = num(values['task-step'], 'task-step');
const chunkSize = num(values['chunk-size'], 'chunk-size');
input.faults = {
  ...input.faults,
  ...(latency !== undefined && { latencyMs: latency }),
  ...(taskStep !== undefined && { taskStepMs: taskStep }),
};
if (chunkSize !== undefined) input.policy = { ...input.policy, chunkSize };
if (values['login-captcha']) input.loginCaptcha = true;
if (values['site-version']) input.siteVersion = values['site-version'];

const sandbox = await startSandbox({
  port: num(values.port, 'port'),
  config: input,
  page: values['placeholder-page'] ? 'placeholder' : 'build',
  keepRoot: values['keep-root'],
});

console.log(`Cloudreve v4 sandbox (${sandbox.config.siteVersion}) at ${sandbox.url}`);
console.log(`  web page  ${sandbox.url}/home`);
console.log(`  API       ${sandbox.url}/api/v4`);
console.log(`  WebDAV    ${sandbox.url}/dav`);
console.log(`  files in  ${sandbox.root}\n`);
for (const user of sandbox.config.users) {
  const state = sandbox.state.userByEmail(user.email)!;
  const dav = sandbox.state.davAccounts.filter((a) => a.userNum === state.num).map((a) => a.password);
  console.log(`  ${user.email} / ${user.password}  (group ${user.group})`);
  if (dav.length) console.log(`      WebDAV password: ${dav.join(', ')}`);
  if (user.totpSecret) console.log(`      TOTP secret: ${user.totpSecret} (current code ${totpCode(user.totpSecret)})`);
}
console.log('\nCtrl-C to stop.');

const shutdown = () => {
  void sandbox.stop().then(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
