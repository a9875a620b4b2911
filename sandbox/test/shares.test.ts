import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../server';
import { startSandbox } from '../server';
import { api, delay, listPath, login } from './helpers';

let sb: Sandbox;
let admin: string;
let user: string;

beforeAll(async () => {
  sb = await startSandbox({
    page: 'placeholder',
    config: { faults: { taskStepMs: 10 } },
    extraFiles: { 'Shared/a.txt': 'alpha', 'Shared/sub/b.txt': 'beta', 'Solo/only.txt': 'only', 'Solo/other.txt': 'x' },
  });
  admin = await login(sb);
  user = await login(sb, 'user@example.com', 'user123');
});
afterAll(() => sb.stop());

const createShare = (body: Record<string, unknown>, token = admin) =>
  api<string>(sb, '/share', { method: 'PUT', token, body });
const idOf = (link: string) => new URL(link).pathname.split('/')[2]!;
const names = (files: { name: string }[]) => files.map((file) => file.name);

describe('share links', () => {
  it('PUT /share answers the link (password in its last segment); GET /share/info says whether it is unlocked', async () => {
    const open = await createShare({ uri: 'cloudreve://my/Shared' });
    expect(open.code).toBe(0);
    expect(open.data).toMatch(new RegExp(`^${sb.url}/s/[A-Za-z0-9]+$`));
    const locked = await createShare({ uri: 'cloudreve://my/Shared', password: 'pw1' });
    expect(locked.data).toMatch(/\/s\/[A-Za-z0-9]+\/pw1$/);
    const id = idOf(locked.data!);

    const anonymous = await api(sb, `/share/info/${id}`);
    expect(anonymous.data).toMatchObject({ id, name: 'Shared', unlocked: false, source_type: 1, is_private: true });
    expect((await api(sb, `/share/info/${id}?password=pw1`)).data.unlocked).toBe(true);
    expect((await api(sb, `/share/info/${id}`, { token: admin })).data).toMatchObject({
      unlocked: true,
      password: 'pw1',
    });
    expect((await api(sb, '/share/info/nosuchshare')).code).toBe(404);
  });

  it('refuses sharing without the group permission, the root, or what does not exist', async () => {
    expect((await createShare({ uri: 'cloudreve://my' })).code).toBe(40053);
    expect((await createShare({ uri: 'cloudreve://my/nope' })).code).toBe(40016);
    expect((await api(sb, '/share', { method: 'PUT', body: { uri: 'cloudreve://my/Shared' } })).code).toBe(401);
  });

  it('lists a folder share to anyone with the password, with share URIs as paths, and downloads from it', async () => {
    const id = idOf((await createShare({ uri: 'cloudreve://my/Shared', password: 'pw2' })).data!);
    const root = `cloudreve://${id}:pw2@share`;
    const listed = await api(sb, listPath(root));
    expect(listed.code).toBe(0);
    expect(names(listed.data.files)).toEqual(['sub', 'a.txt']);
    expect(listed.data.files.map((file: { path: string }) => file.path)).toEqual([`${root}/sub`, `${root}/a.txt`]);
    expect(listed.data.files[0].owned).toBe(false);
    const sub = await api(sb, listPath(`${root}/sub`));
    expect(sub.data.files.map((file: { path: string }) => file.path)).toEqual([`${root}/sub/b.txt`]);

    const urls = await api(sb, '/file/url', { method: 'POST', body: { uris: [`${root}/sub/b.txt`] } });
    expect(urls.code).toBe(0);
    expect(await (await fetch(urls.data.urls[0].url)).text()).toBe('beta');

    // Without the password, or with a wrong one: 40069.
    expect((await api(sb, listPath(`cloudreve://${id}@share`))).code).toBe(40069);
    expect((await api(sb, listPath(`cloudreve://${id}:wrong@share`))).code).toBe(40069);
    // A share URI is read-only: nothing can be created in it.
    const create = await api(sb, '/file/create', {
      method: 'POST',
      token: admin,
      body: { uri: `${root}/new.txt`, type: 'file' },
    });
    expect(create.code).toBe(40016);
  });

  it('lists a file share as its one file', async () => {
    const id = idOf((await createShare({ uri: 'cloudreve://my/Solo/only.txt' })).data!);
    const listed = await api(sb, listPath(`cloudreve://${id}@share`), { token: user });
    expect(names(listed.data.files)).toEqual(['only.txt']);
    expect(listed.data.files[0].path).toBe(`cloudreve://${id}@share/only.txt`);
    expect((await api(sb, listPath(`cloudreve://${id}@share/other.txt`))).code).toBe(40016);
  });

  it('ends with its expiry', async () => {
    const id = idOf((await createShare({ uri: 'cloudreve://my/Shared', expire: 1 })).data!);
    expect((await api(sb, listPath(`cloudreve://${id}@share`))).code).toBe(0);
    await delay(1100);
    expect((await api(sb, listPath(`cloudreve://${id}@share`))).code).toBe(404);
    expect((await api(sb, `/share/info/${id}`)).code).toBe(404);
  });

  it('is closed to visitors without share_download (anonymous: 40088)', async () => {
    const id = idOf((await createShare({ uri: 'cloudreve://my/Shared' })).data!);
    sb.config.anonymousShareDownload = false;
    try {
      expect((await api(sb, listPath(`cloudreve://${id}@share`))).code).toBe(40088);
      // The owner still reads it.
      expect((await api(sb, listPath(`cloudreve://${id}@share`), { token: admin })).code).toBe(0);
    } finally {
      sb.config.anonymousShareDownload = true;
    }
  });

  it('archive tasks take items inside a share, not the share root', async () => {
    const id = idOf((await createShare({ uri: 'cloudreve://my/Shared', password: 'pw3' })).data!);
    const root = `cloudreve://${id}:pw3@share`;
    const finished = async (src: string[], dst: string) => {
      const started = await api(sb, '/workflow/archive', { method: 'POST', token: admin, body: { src, dst } });
      expect(started.code).toBe(0);
      for (let i = 0; i < 400; i++) {
        const tasks = await api(sb, '/workflow?page_size=100&category=general', { token: admin });
        const task = tasks.data.tasks.find((t: { id: string }) => t.id === started.data.id);
        if (['completed', 'error'].includes(task.status)) return task;
        await delay(15);
      }
      throw new Error('task did not finish');
    };
    const ok = await finished([`${root}/a.txt`, `${root}/sub`], 'cloudreve://my/from-share.zip');
    expect(ok.status).toBe('completed');
    const zip = sb.pathOf('admin@example.com', 'from-share.zip');
    execFileSync('unzip', ['-t', zip]);
    const listed = execFileSync('python3', [
      '-c',
      'import sys,zipfile;print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
      zip,
    ]);
    expect(listed.toString().trim().split('\n').sort()).toEqual(['a.txt', 'sub/', 'sub/b.txt']);
    const refused = await finished([root], 'cloudreve://my/share-root.zip');
    expect(refused.status).toBe('error');
  });

  it('the short link redirects to the web app at the share root (password in the URI), like the real backend', async () => {
    const link = (await createShare({ uri: 'cloudreve://my/Shared', password: 'pw9' })).data!;
    const id = idOf(link);
    const home = async (path: string) => {
      const res = await fetch(`${sb.url}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const target = new URL(res.headers.get('location')!, sb.url);
      expect(target.pathname).toBe('/home');
      return target.searchParams.get('path');
    };
    expect(await home(new URL(link).pathname)).toBe(`cloudreve://${id}:pw9@share`);
    expect(await home(`/s/${id}`)).toBe(`cloudreve://${id}@share`);
    expect(await home(`/s/${id}/pw9?path=/sub`)).toBe(`cloudreve://${id}:pw9@share/sub`);
  });
});
