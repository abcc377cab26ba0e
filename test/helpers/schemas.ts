/** Validators for the schemas output is checked against: the official SARIF 2.1.0 schema
 *  (vendored, draft-04) and the project's own published schemas. */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';

// ajv-draft-04 is CommonJS with a default export; require keeps ts-jest's isolatedModules happy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AjvDraft04 = require('ajv-draft-04');

export const SARIF_SCHEMA_FILE = path.join(__dirname, '..', 'schemas', 'sarif-schema-2.1.0.json');

export type Validator = { (data: unknown): boolean; errors?: unknown[] | null };

export function compileSarifSchema(): Validator {
  // strictRequired off: the OASIS schema requires `index` inside an anyOf branch that does not declare it.
  const ajv = new AjvDraft04({ allErrors: true, strict: true, strictRequired: false });
  // The schema's formats, checked by hand (no ajv-formats dependency).
  ajv.addFormat('uri', (s: string) => {
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  });
  ajv.addFormat('uri-reference', (s: string) => {
    try {
      new URL(s, 'file:///base/');
      return !/[\s\\]/.test(s);
    } catch {
      return false;
    }
  });
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)));
  return ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8')));
}

/** One of the project's own schemas in schemas/ (draft-07). */
export function compileProjectSchema(name: string): Validator {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', name), 'utf8')));
}
