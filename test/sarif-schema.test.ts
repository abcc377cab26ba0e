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

import { compileSarifSchema as compile, SARIF_SCHEMA_FILE as VENDORED } from './helpers/schemas';

const SHARED = path.join(__dirname, '..', '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');

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
