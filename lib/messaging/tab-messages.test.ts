import { describe, expect, it } from 'vitest';
import { isOpenArchiveDialog } from './tab-messages';

describe('isOpenArchiveDialog', () => {
  const message = { type: 'open-archive-dialog' };
  it('accepts our worker’s message', () => {
    expect(isOpenArchiveDialog(message, { id: 'ours' }, 'ours')).toBe(true);
  });
  it('refuses other senders, tabs and shapes', () => {
    expect(isOpenArchiveDialog(message, { id: 'other' }, 'ours')).toBe(false);
    expect(isOpenArchiveDialog(message, { id: 'ours', tab: { id: 1 } as never }, 'ours')).toBe(false);
    expect(isOpenArchiveDialog({ type: 'x' }, { id: 'ours' }, 'ours')).toBe(false);
    expect(isOpenArchiveDialog(null, { id: 'ours' }, 'ours')).toBe(false);
  });
});
