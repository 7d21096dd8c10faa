import type { PathSegment } from '../core/path.js';
import { toDotPath } from '../core/path.js';

/**
 * Maps every JSON path in a document's text to the line (1-based) where its value starts, so a
 * finding about `rules[2].conditions.all[0].operator` can point an editor or a CI annotation at the
 * real line. Tolerates text that is not valid JSON: it maps what it can read.
 *
 * @example
 * jsonLines('{\n  "a": [1,\n 2]\n}').get('a[1]'); //=> 3
 */
export function jsonLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const readString = (): string => {
    let out = '';
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        out += JSON.parse(`"${text.slice(i, text[i + 1] === 'u' ? i + 6 : i + 2)}"`);
        i += text[i + 1] === 'u' ? 6 : 2;
      } else out += text[i++];
    }
    i++;
    return out;
  };
  const readValue = (path: PathSegment[], depth: number): void => {
    skipSpace();
    lines.set(toDotPath(path), line);
    if (depth > 200) return;
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      while (i < text.length && text[i] !== '}') {
        if (text[i] !== '"') return;
        const key = readString();
        skipSpace();
        if (text[i] !== ':') return;
        i++;
        readValue([...path, key], depth + 1);
        skipSpace();
        if (text[i] === ',') i++;
        skipSpace();
      }
      i++;
    } else if (c === '[') {
      i++;
      skipSpace();
      let index = 0;
      while (i < text.length && text[i] !== ']') {
        readValue([...path, index++], depth + 1);
        skipSpace();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') return;
        skipSpace();
      }
      i++;
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  try {
    readValue([], 0);
  } catch {
    // A malformed escape: keep the lines found so far.
  }
  return lines;
}

/**
 * The line of `path`, or of its nearest ancestor that the text has (a missing key points at the
 * object that lacks it).
 *
 * @example
 * lineOf(jsonLines(text), 'rules[2].conditions.all[0].operater'); //=> the line of rules[2].conditions.all[0]
 */
export function lineOf(lines: ReadonlyMap<string, number>, path: string): number {
  let current = path;
  while (current !== '') {
    const found = lines.get(current);
    if (found !== undefined) return found;
    const cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
    current = cut <= 0 ? '' : current.slice(0, cut);
  }
  return lines.get('') ?? 1;
}
