/**
 * Real WebDAV servers on 127.0.0.1 for integration tests (docs/webdav-servers.md#loopback-test-servers
 * "Real WebDAV servers on loopback"): rclone, Apache mod_dav, nginx + dav_ext,
 * lighttpd mod_webdav and the in-process npm webdav-server. User `u`, password `p`, free ports.
 * A missing binary fails the test loudly: CI installs them, so a skip would hide a gap.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { v2 as dav } from 'webdav-server';

export interface DavServer {
  /** Base collection URL, ending in '/'. */
  url: string;
  /** Directory the server serves; seed it with `seedTree`. */
  dataDir: string;
  stop(): Promise<void>;
}

export const DAV_USER = 'u';
export const DAV_PASSWORD = 'p';

/** A port nothing listens on right now (the OS picks it; a race with other processes is possible but rare). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Writes files (string/Uint8Array) and empty folders (null) under `dataDir`, then
 * hands everything to www-data, which the Apache and nginx workers run as.
 */
export function seedTree(dataDir: string, tree: Record<string, string | Uint8Array | null>): void {
  for (const [relative, content] of Object.entries(tree)) {
    const target = path.join(dataDir, relative);
    if (content === null) mkdirSync(target, { recursive: true });
    else {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
  }
  chownTree(dataDir);
}

function chownTree(dir: string): void {
  const { uid, gid } = wwwData();
  chownSync(dir, uid, gid);
  for (const name of readdirSync(dir)) {
    const child = path.join(dir, name);
    if (statSync(child).isDirectory()) chownTree(child);
    else chownSync(child, uid, gid);
  }
}

let wwwDataIds: { uid: number; gid: number } | undefined;
function wwwData(): { uid: number; gid: number } {
  if (!wwwDataIds) {
    const uid = Number(spawnSync('id', ['-u', 'www-data'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'www-data'], { encoding: 'utf8' }).stdout.trim());
    if (!Number.isInteger(uid) || !Number.isInteger(gid))
      throw new Error('user www-data not found (apt-get install apache2)');
    wwwDataIds = { uid, gid };
  }
  return wwwDataIds;
}

/**
 * A fresh root under the temp dir that www-data can traverse (mkdtemp makes 0700 dirs;
 * docs/webdav-servers.md#loopback-test-servers).
 */
function makeRoot(kind: string): string {
  const root = mkdtempSync(path.join(tmpdir(), `dav-${kind}-`));
  chmodSync(root, 0o755);
  for (let dir = path.dirname(root); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o005) !== 0o005) chmodSync(dir, statSync(dir).mode | 0o005);
  }
  return root;
}

function requireBinary(name: string, hint: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error(`WebDAV test server binary "${name}" is missing: apt-get install -y ${hint}`);
  return found;
}

function htpasswd(file: string, bcrypt: boolean): void {
  requireBinary('htpasswd', 'apache2-utils');
  const result = spawnSync('htpasswd', [bcrypt ? '-cbB' : '-cb', file, DAV_USER, DAV_PASSWORD], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr}`);
}

/** Resolves once something accepts TCP connections on the port; rejects if the process exits first. */
async function waitForPort(port: number, child: ChildProcess, label: string, logs: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode}: ${logs()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${label} did not listen on 127.0.0.1:${port} within 15 s: ${logs()}`);
}

async function launch(
  label: string,
  command: string,
  args: string[],
  port: number,
  root: string,
): Promise<() => Promise<void>> {
  let output = '';
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const errorLog = () => {
    const file = ['error.log', 'apache/error.log', 'nginx/error.log'].map((f) => path.join(root, f)).find(existsSync);
    return output + (file ? spawnSync('tail', ['-n', '20', file], { encoding: 'utf8' }).stdout : '');
  };
  await waitForPort(port, child, label, errorLog);
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
}

function cleanup(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/**
 * The folder of a server run as www-data (Apache, nginx, lighttpd): `data/` to serve and the
 * `scratch` folder it writes to, both owned by www-data, the htpasswd file, and a free port.
 */
async function wwwDataRoot(name: string, scratch: string, apacheHash: boolean) {
  const root = makeRoot(name);
  const dataDir = path.join(root, 'data');
  mkdirSync(path.join(root, scratch));
  mkdirSync(dataDir);
  htpasswd(path.join(root, 'htpasswd'), apacheHash);
  const { uid, gid } = wwwData();
  chownSync(path.join(root, scratch), uid, gid);
  chownSync(dataDir, uid, gid);
  return { root, dataDir, uid, gid, port: await freePort() };
}

/** The running server at `port`; stopping it removes its folder. */
function served(root: string, dataDir: string, port: number, stop: () => Promise<void>): DavServer {
  return { url: `http://127.0.0.1:${port}/`, dataDir, stop: async () => (await stop(), cleanup(root)) };
}

/** rclone serve webdav (x/net/webdav): Depth infinity allowed, If-None-Match ignored. */
export async function startRclone(): Promise<DavServer> {
  const binary = requireBinary('rclone', 'rclone');
  const root = makeRoot('rclone');
  const dataDir = path.join(root, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  // --dir-cache-time 1s: the tests seed files behind rclone's back (docs/webdav-servers.md#server-notes).
  const args = ['serve', 'webdav', dataDir, '--addr', `127.0.0.1:${port}`, '--user', DAV_USER, '--pass', DAV_PASSWORD];
  const stop = await launch('rclone', binary, [...args, '--dir-cache-time', '1s', '--config', '/dev/null'], port, root);
  return served(root, dataDir, port, stop);
}

/** Apache 2.4 mod_dav_fs in the foreground; refuses Depth infinity unless asked (its default). */
export async function startApache(options: { depthInfinity?: boolean } = {}): Promise<DavServer> {
  const binary = requireBinary('apache2', 'apache2');
  const { root, dataDir, port } = await wwwDataRoot('apache', 'run', true);
  const modules = ['mpm_event', 'authn_core', 'authn_file', 'authz_core', 'authz_user', 'auth_basic', 'dav', 'dav_fs'];
  writeFileSync(
    path.join(root, 'httpd.conf'),
    [
      `ServerRoot ${root}`,
      'ServerName 127.0.0.1',
      `Listen 127.0.0.1:${port}`,
      'PidFile run/httpd.pid',
      'DefaultRuntimeDir run',
      'ErrorLog error.log',
      'LogLevel warn',
      ...modules.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
      'User www-data',
      'Group www-data',
      'DAVLockDB run/DAVLock',
      `DocumentRoot ${dataDir}`,
      `<Directory ${dataDir}>`,
      '  Dav On',
      `  DavDepthInfinity ${options.depthInfinity ? 'On' : 'Off'}`,
      '  AuthType Basic',
      '  AuthName "dav"',
      `  AuthUserFile ${root}/htpasswd`,
      '  Require valid-user',
      '</Directory>',
      '',
    ].join('\n'),
  );
  const stop = await launch('apache2', binary, ['-f', path.join(root, 'httpd.conf'), '-DFOREGROUND'], port, root);
  return served(root, dataDir, port, stop);
}

/**
 * nginx + dav_ext: always refuses Depth infinity, ignores If-None-Match, unencoded hrefs
 * (docs/webdav-servers.md#server-notes). With `tls`, it speaks HTTPS with HTTP/2 (nginx 1.22's
 * `listen … ssl http2`), with a certificate only the test browser trusts (tools/tls-cert.ts).
 */
export async function startNginx(options: { tls?: { certFile: string; keyFile: string } } = {}): Promise<DavServer> {
  const binary = requireBinary('nginx', 'nginx-extras libnginx-mod-http-dav-ext');
  const module = '/usr/lib/nginx/modules/ngx_http_dav_ext_module.so';
  if (!existsSync(module)) throw new Error(`${module} is missing: apt-get install -y libnginx-mod-http-dav-ext`);
  const { root, dataDir, port } = await wwwDataRoot('nginx', 'tmp', false);
  writeFileSync(
    path.join(root, 'nginx.conf'),
    `load_module ${module};
user www-data;
worker_processes 1;
pid nginx.pid;
error_log error.log;
events {}
http {
  client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;
  access_log access.log;
  server {
    listen 127.0.0.1:${port}${options.tls ? ' ssl http2' : ''};
    ${options.tls ? `ssl_certificate ${options.tls.certFile}; ssl_certificate_key ${options.tls.keyFile};` : ''}
    root data;
    location / {
      dav_methods PUT DELETE MKCOL COPY MOVE;
      dav_ext_methods PROPFIND OPTIONS;
      create_full_put_path on;
      dav_access user:rw group:rw all:r;
      client_max_body_size 0;
      auth_basic "dav";
      auth_basic_user_file htpasswd;
    }
  }
}
`,
  );
  const args = ['-p', `${root}/`, '-c', 'nginx.conf', '-e', 'error.log', '-g', 'daemon off;'];
  const server = served(root, dataDir, port, await launch('nginx', binary, args, port, root));
  return options.tls ? { ...server, url: server.url.replace(/^http:/, 'https:') } : server;
}

/**
 * lighttpd 1.4 mod_webdav with mod_auth (Basic, htpasswd), its default parser
 * options: `url-ctrls-reject` answers 400 to a URL with a control character,
 * so a file named with a tab is listed by PROPFIND but cannot be read
 * (lighttpd docs, `server.http-parseopts`).
 */
export async function startLighttpd(): Promise<DavServer> {
  const binary = requireBinary('lighttpd', 'lighttpd lighttpd-mod-webdav');
  const modules = '/usr/lib/lighttpd';
  if (!existsSync(path.join(modules, 'mod_webdav.so')))
    throw new Error(`${modules}/mod_webdav.so is missing: apt-get install -y lighttpd-mod-webdav`);
  const { root, dataDir, uid, gid, port } = await wwwDataRoot('lighttpd', 'tmp', false);
  // lighttpd opens its log after dropping to www-data.
  writeFileSync(path.join(root, 'error.log'), '');
  chownSync(path.join(root, 'error.log'), uid, gid);
  writeFileSync(
    path.join(root, 'lighttpd.conf'),
    [
      `server.modules = ("mod_auth", "mod_authn_file", "mod_webdav")`,
      `server.module-directory = "${modules}"`,
      `server.document-root = "${dataDir}"`,
      `server.bind = "127.0.0.1"`,
      `server.port = ${port}`,
      `server.username = "www-data"`,
      `server.groupname = "www-data"`,
      `server.errorlog = "${root}/error.log"`,
      `server.upload-dirs = ("${root}/tmp")`,
      `webdav.activate = "enable"`,
      `webdav.is-readonly = "disable"`,
      `auth.backend = "htpasswd"`,
      `auth.backend.htpasswd.userfile = "${root}/htpasswd"`,
      `auth.require = ("/" => ("method" => "basic", "realm" => "dav", "require" => "valid-user"))`,
      '',
    ].join('\n'),
  );
  const stop = await launch('lighttpd', binary, ['-D', '-f', path.join(root, 'lighttpd.conf')], port, root);
  return served(root, dataDir, port, stop);
}

/** The npm webdav-server in this process over a physical folder; default maxRequestDepth (1) refuses infinity. */
export async function startWebdavServer(): Promise<DavServer> {
  const root = makeRoot('npm');
  const dataDir = path.join(root, 'data');
  mkdirSync(dataDir);
  const users = new dav.SimpleUserManager();
  const user = users.addUser(DAV_USER, DAV_PASSWORD, false);
  const privileges = new dav.SimplePathPrivilegeManager();
  privileges.setRights(user, '/', ['all']);
  const port = await freePort();
  const server = new dav.WebDAVServer({
    hostname: '127.0.0.1',
    port,
    httpAuthentication: new dav.HTTPBasicAuthentication(users, 'dav'),
    privilegeManager: privileges,
    rootFileSystem: new dav.PhysicalFileSystem(dataDir),
  });
  await new Promise<Server>((resolve) => server.start((s) => resolve(s as Server)));
  return {
    url: `http://127.0.0.1:${port}/`,
    dataDir,
    stop: async () => {
      await new Promise<void>((resolve) => server.stop(() => resolve()));
      cleanup(root);
    },
  };
}
