import { describe, expect, it } from 'vitest';
import { originPattern } from './host-pattern';

describe('originPattern', () => {
  it('keeps the port where match patterns carry one (Chromium)', () => {
    expect(originPattern('http://127.0.0.1:5212', true)).toBe('http://127.0.0.1:5212/*');
    expect(originPattern('https://cloud.example.com', true)).toBe('https://cloud.example.com/*');
  });

  it('drops the port where they do not (Firefox), keeping the scheme', () => {
    expect(originPattern('http://127.0.0.1:5212', false)).toBe('http://127.0.0.1/*');
    expect(originPattern('https://[::1]:8443', false)).toBe('https://[::1]/*');
    expect(originPattern('https://cloud.example.com', false)).toBe('https://cloud.example.com/*');
  });
});
