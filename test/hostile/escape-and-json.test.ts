import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from '../../src/cli/io.js';
import { parseJsonText, stripBom } from '../../src/node/json-text.js';
import { forTerminal, markdownCell, markdownText, oneLine } from '../../src/toolkit/escape.js';

describe('forTerminal: control and bidi characters are shown, never act', () => {
  it.each([
    ['ESC (CSI clear screen)', 'a\u001b[2Jb', 'a\\u001b[2Jb'],
    ['OSC 8 link', '\u001b]8;;http://x\u0007t\u001b]8;;\u0007', '\\u001b]8;;http://x\\u0007t\\u001b]8;;\\u0007'],
    ['8-bit CSI (C1)', 'a\u009b31m', 'a\\u009b31m'],
    ['DEL', 'a\u007f', 'a\\u007f'],
    ['right-to-left override', 'abc\u202edef', 'abc\\u202edef'],
    ['right-to-left isolate', '\u2067x\u2069', '\\u2067x\\u2069'],
    ['carriage return (overwrites the line)', 'ok\r0 errors', 'ok\\u000d0 errors'],
    ['tab and newline stay', 'a\tb\nc', 'a\tb\nc'],
    ['plain text and CJK are untouched', '營銷中心主任 REV-6.1', '營銷中心主任 REV-6.1'],
  ])('%s', (_name, input, expected) => expect(forTerminal(input)).toBe(expected));

  it('inside JSON output the escape means the same string', () => {
    const json = JSON.stringify({ name: 'a\u009b\u202eb' });
    expect(JSON.parse(forTerminal(json))).toEqual({ name: 'a\u009b\u202eb' });
  });
});

describe('oneLine, markdownText, markdownCell', () => {
  it.each([
    ['a\n0 errors', 'a\\n0 errors'],
    ['a\r\nb', 'a\\u000d\\nb'],
    ['a\u2028b', 'a\\u2028b'],
  ])('oneLine(%j) keeps one line', (input, expected) => expect(oneLine(input)).toBe(expected));

  it.each([
    ['# heading', '\\# heading'],
    ['![img](http://e/x.png)', '\\!\\[img](http://e/x.png)'],
    ['[link](http://e)', '\\[link](http://e)'],
    ['<script>x</script>', '\\<script>x\\</script>'],
    ['a\n## b', 'a\\n\\#\\# b'],
    ['back\\slash', 'back\\\\slash'],
    ['`code` stays code', '`code` stays code'],
  ])('markdownText(%j)', (input, expected) => expect(markdownText(input)).toBe(expected));

  it.each([
    ['a | b', 'a \\| b'],
    ['`x`', '\\`x\\`'],
    ['row\n| x | y |', 'row\\n\\| x \\| y \\|'],
  ])('markdownCell(%j)', (input, expected) => expect(markdownCell(input)).toBe(expected));
});

describe('parseJsonText: rule and case files', () => {
  it.each([
    ['a duplicate at the top', '{"a": 1, "a": 2}', 'a'],
    ['a duplicate deep inside', '{"p": [{"v": {"x": 1}}, {"v": {"x": 1, "y": 2, "x": 3}}]}', 'p[1].v.x'],
    ['a duplicate after a string value holding a colon and an escaped quote', '{"a": "x\\": y", "b": 1, "b": 2}', 'b'],
    ['a key equal after unescaping', '{"a": 1, "\\u0061": 2}', 'a'],
  ])('%s is refused with its path', (_name, text, path) => {
    expect(parseJsonText(text)).toMatchObject({ ok: false, code: 'duplicate_key', path });
  });

  it.each([
    ['the same key in two objects', '{"a": {"k": 1}, "b": {"k": 2}}'],
    ['a value equal to a key', '{"a": "a", "b": ["a", "a"]}'],
    ['nesting 100,000 deep (no stack overflow)', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ])('%s is fine', (_name, text) => expect(parseJsonText(text).ok).toBe(true));

  it('a BOM is dropped; text that is not JSON says so', () => {
    expect(parseJsonText('\uFEFF{"a": 1}')).toEqual({ ok: true, json: { a: 1 } });
    expect(parseJsonText('{"a": ')).toMatchObject({ ok: false, code: 'invalid_json' });
    expect(stripBom('x')).toBe('x');
  });
});

describe('readLines: bounded lines from a stream', () => {
  const read = async (chunks: string[], max: number) => {
    const out: unknown[] = [];
    for await (const line of readLines(Readable.from(chunks.map((c) => Buffer.from(c))), max)) out.push(line);
    return out;
  };
  it.each([
    ['lines split across chunks', ['{"a"', ':1}\n{"b":2}\r\n', 'x'], 100, ['{"a":1}', '{"b":2}', 'x']],
    ['a line over the bound comes as its length only', ['ok\n', '0123456789', '0123456789\nnext\n'], 10, ['ok', { tooLong: 20 }, 'next']],
    ['a BOM before the first line only', ['\uFEFFa\n\uFEFFb\n'], 100, ['a', '\uFEFFb']],
    ['multi-byte characters split across chunks', ['營', '銷\n'], 100, ['營銷']],
    ['empty input', [], 100, []],
  ])('%s', async (_name, chunks, max, expected) => expect(await read(chunks as string[], max as number)).toEqual(expected));
});
