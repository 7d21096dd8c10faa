import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/toolkit/schemas.js';
import { ROOT, ruleFilesEndingIn } from '../helpers/case-files.js';

describe('JSON Schemas', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    it(`schema/${name} is up to date (run "npm run schemas" after changing a file format)`, () => {
      expect(JSON.parse(readFileSync(join(ROOT, 'schema', name), 'utf8'))).toEqual(schema);
    });
  }

  it('every bundled rules and case file points at its schema', () => {
    for (const path of [...ruleFilesEndingIn('.rules.json'), ...ruleFilesEndingIn('.cases.json')]) {
      const expected = path.endsWith('.rules.json') ? '../../schema/rules.schema.json' : '../../schema/cases.schema.json';
      expect({ path, $schema: JSON.parse(readFileSync(join(ROOT, path), 'utf8')).$schema }).toEqual({ path, $schema: expected });
    }
  });
});
