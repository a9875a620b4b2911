import { describe, expect, it } from 'vitest';
import { checkDownloadUrl } from './download-url';

const origin = 'https://cloud.example.com';

describe('checkDownloadUrl', () => {
  it('accepts http(s) on the server’s own origin', () => {
    expect(() => checkDownloadUrl(`${origin}/api/v4/file/content/x?sign=1`, origin)).not.toThrow();
  });

  it.each([
    ['javascript:alert(1)', 'javascript:'],
    ['file:///etc/passwd', 'file:'],
    ['data:text/html,hi', 'data:'],
    ['https://evil.example/steal', 'another site (https://evil.example)'],
    ['http://cloud.example.com/x', 'another site (http://cloud.example.com)'],
    ['not a url', 'no valid address'],
  ])('refuses %s', (url, reason) => {
    expect(() => checkDownloadUrl(url, origin)).toThrow(expect.objectContaining({ code: 'download-refused' }));
    expect(() => checkDownloadUrl(url, origin)).toThrow(reason);
  });
});
