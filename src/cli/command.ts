import { parseArgs } from 'node:util';
import { didYouMean } from '../core/did-you-mean.js';
import { UsageError } from './io.js';

/** One flag of a verb: how it parses and how `--help` shows it. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias, e.g. `r` for `-r`. */
  readonly short?: string;
  /** The value's placeholder in the help, e.g. `DIR`. */
  readonly value?: string;
  /** The values a string flag takes; anything else is a usage error naming the closest one. */
  readonly choices?: readonly string[];
  readonly help: string;
}

/** A verb as parsing, `--help` and the overview know it. */
export interface VerbSpec {
  readonly name: string;
  /** One line for the overview. */
  readonly summary: string;
  /** The synopsis after `sales-policies`, e.g. `eval <policy> --facts FILE|- [options]`. */
  readonly usage: string;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Commands a user can paste, each with a `# what it does` comment. At least one. */
  readonly examples: readonly string[];
  /** What the verb prints and its exit codes, beyond the flags. */
  readonly details?: string;
}

type FlagValue<F extends FlagSpec> = F['type'] extends 'string' ? (F extends { readonly choices: readonly (infer C extends string)[] } ? C : string) : boolean;
/** The parsed flags of a verb: each present flag by its long name. */
export type FlagValues<S extends VerbSpec> = { -readonly [K in keyof S['flags']]?: FlagValue<S['flags'][K]> };

/** The flags every verb that decides takes: its own rules folder, the date and the time zone. */
export const DECIDING_FLAGS = {
  rules: { type: 'string', short: 'r', value: 'DIR', help: 'your own rules folder (default: the rules bundled with the package)' },
  'as-of': { type: 'string', value: 'DATE', help: 'decide as on this date, YYYY-MM-DD (default: today in the time zone)' },
  'time-zone': { type: 'string', value: 'TZ', help: 'IANA time zone of calendar dates (default: Asia/Shanghai)' },
} as const satisfies Record<string, FlagSpec>;

/**
 * `--format`, with the formats a verb writes; `json` is the stable machine shape the README
 * documents, and with it errors come back as JSON on stdout too.
 *
 * @example
 * const flags = { ...formatFlag(['text', 'json', 'github']) };
 */
export function formatFlag<const T extends readonly string[]>(choices: T) {
  return { format: { type: 'string', short: 'f', value: choices.join('|'), choices, help: `output format (default: ${choices[0]}); json is stable, see the README` } } as const satisfies Record<string, FlagSpec>;
}

/**
 * True when `--help` or `-h` appears among a verb's arguments (before a `--`).
 *
 * @example
 * wantsHelp(['review.approval', '--help']); //=> true
 */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/**
 * The format a command line asks for (`--format json`, `--format=json`, `-f json`), read before
 * parsing so that even a usage error can answer in the asked format.
 *
 * @example
 * requestedFormat(['validate', '-f', 'json']); //=> 'json'
 */
export function requestedFormat(args: readonly string[]): string | undefined {
  for (const [index, arg] of args.entries()) {
    if (arg === '--') return undefined;
    if (arg === '--format' || arg === '-f') return args[index + 1];
    if (arg.startsWith('--format=')) return arg.slice('--format='.length);
  }
  return undefined;
}

/**
 * Parses a verb's arguments against its spec, strictly: an unknown flag, a missing value or a
 * value outside a flag's choices is a usage error that names the closest known flag or value.
 *
 * @example
 * parseVerb(docsSpec, ['review.approval', '-r', 'our-rules']);
 * //=> { values: { rules: 'our-rules' }, positionals: ['review.approval'] }
 */
export function parseVerb<S extends VerbSpec>(spec: S, args: readonly string[]): { values: FlagValues<S>; positionals: string[] } {
  const options = Object.fromEntries(Object.entries(spec.flags).map(([name, flag]) => [name, { type: flag.type, ...(flag.short === undefined ? {} : { short: flag.short }) }]));
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(`${spec.name}: ${explainParseError(spec, args, error)}`);
  }
  for (const [name, flag] of Object.entries(spec.flags)) {
    const value = parsed.values[name];
    if (flag.choices !== undefined && typeof value === 'string' && !flag.choices.includes(value)) {
      throw new UsageError(`--${name} takes ${flag.choices.join(', ')}, not ${JSON.stringify(value)}${didYouMean(value, flag.choices)}`);
    }
    if (flag.type === 'string' && typeof value === 'string' && value.trim() === '') throw new UsageError(`--${name} needs a value${flag.value === undefined ? '' : ` (${flag.value})`}`);
  }
  return { values: parsed.values as FlagValues<S>, positionals: parsed.positionals };
}

/** Node's messages quote oddly and suggest nothing: say which flag, and the closest known one. */
function explainParseError(spec: VerbSpec, args: readonly string[], error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const flags = Object.keys(spec.flags).map((name) => `--${name}`);
  const { tokens } = parseArgs({ args: [...args], strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = Object.entries(spec.flags).find(([name, f]) => name === token.name || f.short === token.name);
    if (flag === undefined) {
      const shown = token.rawName.startsWith('--') ? `--${token.name}` : token.rawName;
      return `unknown flag ${shown}${didYouMean(shown, flags)}`;
    }
    const [name, f] = flag;
    if (f.type === 'string' && token.value === undefined) return `--${name} needs a value${f.value === undefined ? '' : ` (${f.value})`}`;
    if (f.type === 'boolean' && token.inlineValue === true) return `--${name} takes no value`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = Object.entries(spec.flags).find(([n, f]) => f.type === 'string' && args.some((a) => a === `--${n}` || a === `-${f.short ?? '\0'}`))?.[0];
    if (name !== undefined) return `--${name} needs a value${spec.flags[name]!.value === undefined ? '' : ` (${spec.flags[name]!.value})`}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * A verb's `--help`: synopsis, what it does, every flag, examples and exit codes.
 *
 * @example
 * verbHelp(evalSpec); //=> 'Usage: sales-policies eval <policy> --facts FILE|- [options]\n…'
 */
export function verbHelp(spec: VerbSpec): string {
  const rows = Object.entries(spec.flags).map(([name, flag]) => [`${flag.short === undefined ? '    ' : `-${flag.short}, `}--${name}${flag.value === undefined ? '' : ` ${flag.value}`}`, flag.help] as const);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `Usage: sales-policies ${spec.usage}`,
    '',
    spec.summary,
    ...(spec.details === undefined ? [] : ['', spec.details]),
    '',
    'Options:',
    ...rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`),
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
    '',
    'Exit codes: 0 ok, 1 findings, 2 usage error or unreadable input.',
  ].join('\n');
}
