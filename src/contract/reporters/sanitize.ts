/**
 * Making report text safe to show. Evidence and client output are whatever a client or server
 * sent, so they may hold ANSI sequences (a colored stderr), control characters that would move a
 * terminal's cursor or make an XML file unreadable (XML 1.0 forbids most of C0), lone surrogates
 * and bidi overrides. Every string a reporter prints goes through here first; the JSON reporter
 * alone keeps the raw data, since JSON escapes all of it.
 */

const ESC = 0x1b;
const BEL = 0x07;
/** The one-byte (C1) form of ESC [, which some terminals honour. */
const C1_CSI = 0x9b;

/**
 * Drops ANSI escape sequences: CSI (`ESC [ … final`, colors and cursor moves) and OSC
 * (`ESC ] … BEL` or `ESC ] … ESC \`, titles and hyperlinks). An OSC without its terminator is
 * left alone, so a stray `ESC ]` cannot swallow the rest of the text; `cleanText` then shows it.
 *
 * @example
 * stripAnsi('\u001b[31mfailed\u001b[39m'); // 'failed'
 */
export function stripAnsi(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === ESC && text[i + 1] === '[') {
      i = skipCsi(text, i + 2);
    } else if (code === C1_CSI) {
      i = skipCsi(text, i + 1);
    } else if (code === ESC && text[i + 1] === ']') {
      const end = oscEnd(text, i + 2);
      if (end === undefined) {
        out += text.charAt(i);
        i += 1;
      } else {
        i = end;
      }
    } else {
      out += text.charAt(i);
      i += 1;
    }
  }
  return out;
}

/** Index after a CSI body: parameter and intermediate bytes, then one final byte when present. */
function skipCsi(text: string, start: number): number {
  let i = start;
  while (i < text.length && text.charCodeAt(i) >= 0x20 && text.charCodeAt(i) <= 0x3f) i += 1;
  if (i < text.length && text.charCodeAt(i) >= 0x40 && text.charCodeAt(i) <= 0x7e) i += 1;
  return i;
}

/** Index after an OSC's terminator (BEL or ESC \), or undefined when it has none. */
function oscEnd(text: string, start: number): number | undefined {
  for (let i = start; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === BEL) return i + 1;
    if (code === ESC && text[i + 1] === '\\') return i + 2;
  }
  return undefined;
}

/**
 * Whether a code point must not be shown as is: C0 controls other than tab and newline, DEL,
 * C1 controls, lone surrogates, the noncharacters U+FFFE and U+FFFF (all but DEL and C1 are
 * invalid in XML 1.0), and the bidi embedding, override and isolate controls ("Trojan source").
 */
function isUnsafe(code: number): boolean {
  if (code < 0x20) return code !== 0x09 && code !== 0x0a;
  if (code >= 0x7f && code <= 0x9f) return true;
  if (code >= 0xd800 && code <= 0xdfff) return true; // only lone surrogates reach here: for…of pairs the rest
  if (code === 0xfffe || code === 0xffff) return true;
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

/** `\x1B` for one byte, `\uD800` beyond: visible, and says which character it was. */
function visibleEscape(code: number): string {
  const hex = code.toString(16).toUpperCase();
  return code <= 0xff ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}

/**
 * Text safe for a terminal and for XML 1.0: ANSI sequences dropped, line endings made `\n`, and
 * every other unsafe character (see above) replaced by a visible escape such as `\x00`. Tabs
 * and newlines stay.
 *
 * @example
 * cleanText('a\r\nb\u0000c'); // 'a\nb\\x00c'
 */
export function cleanText(text: string): string {
  const normalised = stripAnsi(text).replace(/\r\n?/g, '\n');
  let out = '';
  for (const char of normalised) {
    const code = char.codePointAt(0) ?? 0;
    out += isUnsafe(code) ? visibleEscape(code) : char;
  }
  return out;
}

/**
 * {@link cleanText} on one line: newlines shown as `\n`, tabs as `\t`, and cut to `max` code
 * points, the last of them an ellipsis, when longer. Very long input is cut before it is cleaned,
 * so a megabyte body costs no more than a short one.
 *
 * @example
 * oneLine('{"items":\n[1,2,3]}', 12); // '{"items":\\n…'
 */
export function oneLine(text: string, max: number, ellipsis = '…'): string {
  // A code point is at most two code units and cleaning only lengthens text (ANSI sequences
  // aside), so this prefix still shows more than `max` code points.
  const budget = Number.isFinite(max) ? max * 2 + 16 : text.length;
  const cutEarly = text.length > budget;
  const cleaned = cleanText(cutEarly ? text.slice(0, budget) : text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  const chars = Array.from(cleaned);
  if (!cutEarly && chars.length <= max) return cleaned;
  const keep = Math.max(0, max - Array.from(ellipsis).length);
  return chars.slice(0, keep).join('') + ellipsis;
}

/** The last lines of a text, and how many came before them. */
export interface Tail {
  readonly lines: readonly string[];
  readonly omitted: number;
}

/**
 * The last `count` lines of {@link cleanText}(text), without the empty line a final newline
 * leaves; no lines at all for blank text.
 *
 * @example
 * lastLines('a\nb\nc\n', 2); // { lines: ['b', 'c'], omitted: 1 }
 */
export function lastLines(text: string, count: number): Tail {
  const cleaned = cleanText(text).replace(/\n+$/, '');
  if (cleaned.trim() === '') return { lines: [], omitted: 0 };
  const lines = cleaned.split('\n');
  const kept = lines.slice(Math.max(0, lines.length - count));
  return { lines: kept, omitted: lines.length - kept.length };
}
