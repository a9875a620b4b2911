import { describe, expect, it } from 'vitest';
import { downloadFileName } from './download-name';

describe('downloadFileName', () => {
  it.each([
    ['Docs 100% #1.zip', 'Docs 100% #1.zip'],
    ['中文 😀.zip', '中文 😀.zip'],
    ['Q1: "final" report?.zip', 'Q1_ _final_ report_.zip'],
    ['tab\there|pipe<>*.zip', 'tab_here_pipe___.zip'],
    ['back\\slash/slash.zip', 'back_slash_slash.zip'],
    ['trailing. ', 'trailing'],
    ['CON.zip', '_CON.zip'],
    ['...', 'archive.zip'],
  ])('%j → %j', (name, expected) => {
    expect(downloadFileName(name)).toBe(expected);
  });
});
