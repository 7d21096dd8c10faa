import type { PathSegment } from '../core/path.js';
import { toDotPath } from '../core/path.js';

/** JSON text parsed, or why not: `invalid_json` (with JSON.parse's message) or `duplicate_key` (with its path). */
export type JsonText =
  | { readonly ok: true; readonly json: unknown }
  | { readonly ok: false; readonly code: 'invalid_json' | 'duplicate_key'; readonly path: string; readonly message: string };

/**
 * Parses a JSON file's text as a rules or case file is read: a UTF-8 byte order mark is dropped,
 * and a key given twice in one object is refused (JSON.parse keeps the last silently, so a
 * reviewer reading the first would approve a value that never applies).
 *
 * @example
 * parseJsonText('{"a": 1, "a": 2}'); //=> { ok: false, code: 'duplicate_key', path: 'a', message: 'key "a" appears twice in one object (lines 1 and 1): …' }
 */
export function parseJsonText(text: string): JsonText {
  const body = stripBom(text);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, code: 'invalid_json', path: '', message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const duplicate = firstDuplicateKey(body);
  if (duplicate) {
    return { ok: false, code: 'duplicate_key', path: duplicate.path, message: `key ${JSON.stringify(duplicate.key)} appears twice in one object (lines ${duplicate.firstLine} and ${duplicate.line}): JSON keeps only the last, so refuse the file rather than guess` };
  }
  return { ok: true, json };
}

/**
 * Drops a leading UTF-8 byte order mark (U+FEFF), which editors on Windows write and JSON.parse refuses.
 *
 * @example
 * stripBom('\uFEFF{"a":1}'); //=> '{"a":1}'
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

interface Frame {
  readonly parent: Frame | undefined;
  /** This container's key or index in its parent. */
  readonly segment: PathSegment | undefined;
  readonly keys?: Map<string, number>;
  index: number;
}

function pathOf(frame: Frame | undefined): PathSegment[] {
  const out: PathSegment[] = [];
  for (let f = frame; f?.segment !== undefined; f = f.parent) out.push(f.segment);
  return out.reverse();
}

/** Scans valid JSON text (iteratively: any depth) for the first object holding a key twice. */
function firstDuplicateKey(text: string): { key: string; path: string; line: number; firstLine: number } | undefined {
  const stack: Frame[] = [];
  let line = 1;
  let pendingKey: string | undefined;
  const here = (): PathSegment | undefined => {
    const top = stack.at(-1);
    if (!top) return undefined;
    return top.keys ? (pendingKey ?? '') : top.index;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    else if (c === '{' || c === '[') {
      const parent = stack.at(-1);
      stack.push(c === '{' ? { parent, segment: here(), keys: new Map(), index: 0 } : { parent, segment: here(), index: 0 });
      pendingKey = undefined;
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack.at(-1);
      if (top && !top.keys) top.index++;
    } else if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      let after = end + 1;
      while (after < text.length && /\s/.test(text[after]!)) after++;
      if (top?.keys && text[after] === ':') {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        const first = top.keys.get(key);
        if (first !== undefined) return { key, path: toDotPath([...pathOf(top), key]), line, firstLine: first };
        top.keys.set(key, line);
        pendingKey = key;
      }
      i = end;
    }
  }
  return undefined;
}
