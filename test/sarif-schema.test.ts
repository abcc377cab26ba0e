/**
 * SARIF output validated against the official OASIS SARIF 2.1.0 schema (draft-04). The schema is
 * vendored in test/schemas so a clean clone can run this; when the shared copy beside the repo
 * exists, the vendored one must be identical to it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { format } from '../src/report/index';
import { toSarif } from '../src/report/sarif';
import { at, CWD, finding, makeResult, OPTS, region } from './helpers/lint-result';

// ajv-draft-04 is CommonJS with a default export; require keeps ts-jest's isolatedModules happy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv-draft-04');

const VENDORED = path.join(__dirname, 'schemas', 'sarif-schema-2.1.0.json');
const SHARED = path.join(__dirname, '..', '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');

function compile(): { (data: unknown): boolean; errors?: unknown[] | null } {
  // strictRequired off: the OASIS schema requires `index` inside an anyOf branch that does not declare it.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
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
  return ajv.compile(JSON.parse(fs.readFileSync(VENDORED, 'utf8')));
}

describe('SARIF against the OASIS 2.1.0 schema', () => {
  const validate = compile();

  it('vendors the schema unchanged (id and all)', () => {
    const vendored = fs.readFileSync(VENDORED, 'utf8');
    expect(JSON.parse(vendored).id).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    if (fs.existsSync(SHARED)) expect(vendored).toBe(fs.readFileSync(SHARED, 'utf8'));
  });

  it('accepts the full sample (suppressions, related, outside cwd, notifications)', () => {
    const log = JSON.parse(format(makeResult(), 'sarif', OPTS));
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('accepts the empty result', () => {
    const log = JSON.parse(format(makeResult({ findings: [], diagnostics: [], rules: [], filesScanned: 0 }), 'sarif', OPTS));
    expect(validate(log)).toBe(true);
  });

  it('accepts odd input: bad regions, odd file names, no docs URL or version, no source text', () => {
    const odd = finding({
      ruleId: 'lambda-no-http', level: 'error', message: '', address: 'a',
      location: at(path.join(CWD, 'dir with space', 'ü#1.tf'), region(0, 0, -1, 0)),
    });
    const log = toSarif(makeResult({ findings: [odd] }), { docsBaseUrl: '', toolVersion: '' });
    expect(validate(log)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('rejects what the schema forbids (the validator is really checking)', () => {
    const log = JSON.parse(format(makeResult(), 'sarif', OPTS));
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(validate(log)).toBe(false);
    const log2 = JSON.parse(format(makeResult(), 'sarif', OPTS));
    log2.runs[0].results[0].level = 'fatal';
    expect(validate(log2)).toBe(false);
  });
});
