import { describe, expect, it } from 'vitest';
import { cleanText, lastLines, oneLine, stripAnsi } from './sanitize.js';

describe('stripAnsi', () => {
  it.each([
    ['colors', '\u001b[31mred\u001b[39m and \u001b[1;32mbold green\u001b[0m', 'red and bold green'],
    ['a cursor move and a screen clear', 'a\u001b[2Jb\u001b[10;20Hc', 'abc'],
    ['the one-byte CSI', 'a\u009b31mb', 'ab'],
    ['a window title ended by BEL', '\u001b]0;title\u0007text', 'text'],
    ['a hyperlink ended by ESC \\', '\u001b]8;;https://x\u001b\\link\u001b]8;;\u001b\\', 'link'],
    ['nothing in plain text', 'plain [31m text', 'plain [31m text'],
  ])('removes %s', (_what, input, expected) => {
    expect(stripAnsi(input)).toBe(expected);
  });

  it('leaves an unterminated OSC in place rather than swallowing the rest', () => {
    expect(stripAnsi('\u001b]0;no end, and the rest')).toBe('\u001b]0;no end, and the rest');
  });
});

describe('cleanText', () => {
  it.each([
    ['NUL and other C0 controls', 'a\u0000b\u0001c\u000bd', 'a\\x00b\\x01c\\x0Bd'],
    ['DEL and C1 controls', 'a\u007fb\u0085c', 'a\\x7Fb\\x85c'],
    ['a lone surrogate', 'a\ud800b', 'a\\uD800b'],
    ['the noncharacters U+FFFE and U+FFFF', '\ufffe\uffff', '\\uFFFE\\uFFFF'],
    ['a bidi override', 'abc\u202edef', 'abc\\u202Edef'],
    ['an ESC that starts no sequence', 'a\u001bb', 'a\\x1Bb'],
  ])('shows %s as visible escapes', (_what, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it.each([
    ['tabs and newlines', 'a\tb\nc', 'a\tb\nc'],
    ['CRLF and CR, as newlines', 'a\r\nb\rc', 'a\nb\nc'],
    ['a surrogate pair (an emoji)', 'ok 👍', 'ok 👍'],
    ['markup, which is no concern of its', '<&"\'>', '<&"\'>'],
  ])('keeps %s', (_what, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });
});

describe('oneLine', () => {
  it.each([
    ['short text as is', 'hello', 10, 'hello'],
    ['newlines and tabs as escapes', 'a\nb\tc', 10, 'a\\nb\\tc'],
    ['long text cut with an ellipsis', 'abcdefghij', 5, 'abcd…'],
    ['text exactly at the limit as is', 'abcde', 5, 'abcde'],
    ['by code points, never splitting an emoji', '👍👍👍👍', 3, '👍👍…'],
  ])('writes %s', (_what, input, max, expected) => {
    expect(oneLine(input, max)).toBe(expected);
  });

  it('takes another ellipsis for ASCII output', () => {
    expect(oneLine('abcdefghij', 6, '...')).toBe('abc...');
  });

  it('cuts a megabyte body to the limit', () => {
    const line = oneLine(`{"items":[${'1,'.repeat(500_000)}]}`, 120);
    expect(Array.from(line)).toHaveLength(120);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('lastLines', () => {
  it.each([
    ['all lines when there are few', 'a\nb\n', 5, ['a', 'b'], 0],
    ['the last ones, counting the rest', 'a\nb\nc\nd', 2, ['c', 'd'], 2],
    ['nothing for blank output', '\n  \n', 5, [], 0],
    ['cleaned lines', 'a\r\n\u001b[31mb\u001b[39m', 5, ['a', 'b'], 0],
  ])('keeps %s', (_what, input, count, lines, omitted) => {
    expect(lastLines(input, count)).toEqual({ lines, omitted });
  });
});
