import type { CompiledRuleFile, CompileOptions } from './compile.js';
import { compileBuildChecked, compiledFiles, compileSpec, deepFreeze, isBuildChecked, isCompiledRuleFile } from './compile.js';
import { RuleSetError } from './errors.js';
import { checkNesting, parseRuleFile } from './rule-file.js';

// The rules-file loader: checks any rules file's JSON and compiles it. Its own module, apart from
// compile.ts, so that an entry point evaluating only its bundled rules (checked when the library
// is built) never imports it, nor the rules-file schema it checks with.

/**
 * Checks and compiles a rules file (parsed JSON) once; the same object is compiled only once, so
 * changing the object afterwards has no effect (pass a new object).
 * Throws {@link RuleSetError} for any problem, with the file and JSON path.
 *
 * @example
 * const compiled = compileRuleFile(approvalJson, 'rules/review/approval.rules.json');
 * compiled.versions[0]?.from; //=> '2017-04-26'
 */
export function compileRuleFile(json: unknown, file: string, options: CompileOptions = {}): CompiledRuleFile {
  const generate = options.generate ?? true;
  if (isCompiledRuleFile(json)) return json;
  if (generate && isBuildChecked(json)) return compileBuildChecked(json);
  if (json !== null && typeof json === 'object' && generate) {
    const cached = compiledFiles.get(json);
    if (cached && cached.spec.file === file) return cached;
  }
  // A private deep copy: later changes to the caller's object cannot reach compiled closures.
  const copy = copyRuleFile(json, file);
  const compiled = compileSpec(deepFreeze(parseRuleFile(copy, file)), generate);
  if (json !== null && typeof json === 'object' && generate) compiledFiles.set(json, compiled);
  return compiled;
}

/**
 * A private deep copy of a rules file's JSON, its nesting checked first (so a file nested
 * 10,000 deep is refused with `too_deep`, not a stack overflow inside the copy). A function, a
 * symbol, a proxy, a revoked proxy or a getter that throws anywhere is refused as `not_json`:
 * a rules file is JSON data.
 *
 * @example
 * const copy = copyRuleFile(json, 'rules/review/approval.rules.json'); // throws RuleSetError when json is not plain data
 */
export function copyRuleFile(json: unknown, file: string): unknown {
  try {
    checkNesting(json, file);
    return structuredClone(json);
  } catch (error) {
    if (error instanceof RuleSetError) throw error;
    throw new RuleSetError([{ code: 'not_json', file, path: '', message: `a rules file is JSON data: ${error instanceof Error ? error.message : String(error)}` }]);
  }
}
