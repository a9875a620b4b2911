import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { asDiskError } from './disk-errors';

describe('asDiskError', () => {
  it.each(['QuotaExceededError', 'NotFoundError', 'InvalidStateError', 'UnknownError', 'AbortError'])(
    'turns %s into quota-exceeded, keeping what the browser said',
    (name) => {
      const error = asDiskError(new DOMException('the database connection is closing', name));
      expect(error).toMatchObject({ code: 'quota-exceeded', details: { cause: name } });
      expect(error!.message).toContain('the database connection is closing');
    },
  );

  it('leaves every other error alone', () => {
    expect(asDiskError(new DOMException('x', 'SyntaxError'))).toBeUndefined();
    expect(asDiskError(new TypeError('fetch failed'))).toBeUndefined();
    expect(asDiskError(new AppError('network', 'x'))).toBeUndefined();
    expect(asDiskError('QuotaExceededError')).toBeUndefined();
  });
});
