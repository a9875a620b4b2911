import { describe, expect, it, vi } from 'vitest';
import { PASSWORD_ENV, readPassword } from './password';

describe('readPassword', () => {
  it('takes the environment variable first, and asks nothing', async () => {
    const prompt = vi.fn();
    expect(await readPassword({ env: { [PASSWORD_ENV]: 'from-env' }, prompt, warn: vi.fn() })).toBe('from-env');
    expect(prompt).not.toHaveBeenCalled();
  });

  it('asks on the terminal when there is no variable', async () => {
    const prompt = vi.fn(async () => 'typed');
    expect(await readPassword({ env: {}, prompt, warn: vi.fn() })).toBe('typed');
  });

  it('still takes --password, with a warning that others can see it', async () => {
    const warn = vi.fn();
    expect(await readPassword({ flag: 'p', env: {}, warn })).toBe('p');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('visible to other users'));
  });

  it('has none without a variable and without a terminal', async () => {
    expect(await readPassword({ env: {}, warn: vi.fn() })).toBeUndefined();
  });
});
