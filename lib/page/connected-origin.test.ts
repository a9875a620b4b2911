import { describe, expect, it } from 'vitest';
import type { PageContext } from '../messaging/protocol';
import { isConnectedOrigin } from './connected-origin';

describe('isConnectedOrigin', () => {
  it('is true when the worker knows the page origin as a connected server', async () => {
    const context = { server: { id: 's1' }, settings: {} } as unknown as PageContext;
    expect(await isConnectedOrigin(() => Promise.resolve(context))).toBe(true);
  });

  it('is false when the worker knows no server for it', async () => {
    expect(await isConnectedOrigin(() => Promise.resolve(null))).toBe(false);
  });

  it('is false when the worker refuses or cannot be reached', async () => {
    const refused = Object.assign(new Error('not accepted from this sender'), { code: 'forbidden-origin' });
    expect(await isConnectedOrigin(() => Promise.reject(refused))).toBe(false);
  });
});
