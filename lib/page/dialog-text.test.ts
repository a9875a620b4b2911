import { describe, expect, it } from 'vitest';
import { describeStarted } from './dialog-text';

describe('what the dialog says after Start', () => {
  it('words a split built in the browser as a fact, not as a refusal of the server', () => {
    const text = describeStarted({
      jobId: 'j',
      kind: 'browser',
      fallbackReason: 'Split archives are made in the browser',
      fallbackCode: 'split-in-browser',
    });
    expect(text).not.toMatch(/refused/);
    expect(text).toBe(
      'Archiving in the browser (reason: A split archive is made in the browser: the server’s archive task can only write one file.). Follow it in the extension’s popup.',
    );
  });

  it('still quotes a refusal of the server', () => {
    const text = describeStarted({ jobId: 'j', kind: 'browser', fallbackReason: 'Quota exceeded' });
    expect(text).toContain('reason: The server refused: Quota exceeded');
  });
});
