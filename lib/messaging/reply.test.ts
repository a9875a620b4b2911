import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { replyOf, unwrapReply } from './reply';

describe('the reply envelope', () => {
  it('carries a value', async () => {
    expect(unwrapReply(await replyOf(async () => 'blob:x'), 'create-url')).toBe('blob:x');
  });

  it('keeps the error code across (the offscreen reply used to keep only the text)', async () => {
    const reply = await replyOf(() => {
      throw new AppError('quota-exceeded', 'No room');
    });
    expect(JSON.parse(JSON.stringify(reply))).toEqual({
      ok: false,
      error: { code: 'quota-exceeded', message: 'No room', details: {} },
    });
    expect(() => unwrapReply(reply, 'create-url')).toThrow(expect.objectContaining({ code: 'quota-exceeded' }));
  });

  it('names the message nobody answered', () => {
    expect(() => unwrapReply(undefined, 'revoke-url')).toThrow(expect.objectContaining({ code: 'internal' }));
  });
});
