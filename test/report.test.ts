/**
 * Formatters on one hand-built LintResult: the fields that matter in each format, paths outside
 * the working directory, the empty result, and fingerprints that survive moved lines.
 */
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import type * as sarif from 'sarif';
import { findingFingerprint, lineHashes, primaryLocationLineHash } from '../src/report/fingerprint';
import { escapeData, escapeProperty, formatGithub } from '../src/report/github';
import { FORMATS, format, isFormat } from '../src/report/index';
import { toJsonReport } from '../src/report/json';
import { cleanRegion, relativeToCwd } from '../src/report/paths';
import { SARIF_LIMITS, toSarif } from '../src/report/sarif';
import { formatText } from '../src/report/text';
import {
  API_TF,
  at,
  CWD,
  fakeRule,
  finding,
  MAIN_TF,
  makeResult,
  OPTS,
  OUTSIDE,
  OUTSIDE_TF,
  readLines,
  region,
} from './helpers/lint-result';

const ESC = '\u001b';

describe('paths', () => {
  it('makes paths relative with / and refuses anything outside cwd', () => {
    expect(relativeToCwd(CWD, path.join(CWD, 'a', 'b.tf'))).toBe('a/b.tf');
    expect(relativeToCwd(CWD, path.join(CWD, '..foo.tf'))).toBe('..foo.tf');
    expect(relativeToCwd(CWD, OUTSIDE_TF)).toBeUndefined();
    expect(relativeToCwd(CWD, CWD)).toBeUndefined();
    expect(relativeToCwd(CWD, '')).toBeUndefined();
  });

  it('repairs impossible regions instead of throwing', () => {
    expect(cleanRegion({ startLine: 0, startColumn: -3, endLine: NaN, endColumn: 2 })).toEqual({
      startLine: 1, startColumn: 1, endLine: 1, endColumn: 2,
    });
    expect(cleanRegion({ startLine: 5, startColumn: 9, endLine: 4, endColumn: 1 })).toEqual({
      startLine: 5, startColumn: 9, endLine: 5, endColumn: 9,
    });
  });
});

describe('findingFingerprint', () => {
  const line = '  runtime = "python3.12"';
  it('is a sha256 hex that ignores where the line is and how it is indented', () => {
    const fp = findingFingerprint('lambda-ruby-only', 'aws_lambda_function.api', undefined, line);
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    expect(findingFingerprint('lambda-ruby-only', 'aws_lambda_function.api', undefined, '\truntime   =  "python3.12"  ')).toBe(fp);
  });

  it('tells apart rule, address, discriminator and line text', () => {
    const base = findingFingerprint('r', 'a', 'd', line);
    expect(findingFingerprint('r2', 'a', 'd', line)).not.toBe(base);
    expect(findingFingerprint('r', 'a2', 'd', line)).not.toBe(base);
    expect(findingFingerprint('r', 'a', 'd2', line)).not.toBe(base);
    expect(findingFingerprint('r', 'a', undefined, line)).not.toBe(base);
    expect(findingFingerprint('r', 'a', 'd', '  runtime = "ruby3.3"')).not.toBe(base);
  });

  it('stays the same when unrelated lines move the finding down', () => {
    const before = finding({
      ruleId: 'lambda-ruby-only', level: 'error', message: 'm', address: 'aws_lambda_function.api',
      location: at(MAIN_TF, region(7, 19, 7, 31)),
    });
    const shifted = ['# a comment', 'locals {}', '', ...readLines(MAIN_TF)];
    const line = shifted[7 + 3 - 1];
    expect(findingFingerprint('lambda-ruby-only', 'aws_lambda_function.api', undefined, line)).toBe(before.fingerprint);
  });
});

describe('primaryLocationLineHash', () => {
  // Expected values are the published test vectors of github/codeql-action (src/fingerprints.test.ts).
  it.each([
    ['', ['c129715d7a2bc9a3:1']],
    [' a\nb\n  \t\tc\n d', ['271789c17abda88f:1', '54703d4cd895b18:1', '180aee12dab6264:1', 'a23a3dc5e078b07b:1']],
    [
      ' hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End',
      ['8b7cf3e952e7aeb2:1', 'b1ae1287ec4718d9:1', 'bff680108adb0fcc:1', 'c6805c5e1288b612:1', 'b86d3392aea1be30:1', 'e6ceba753e1a442:1'],
    ],
    [
      ' hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n',
      ['e9496ae3ebfced30:1', 'fb7c023a8b9ccb3f:1', 'ce8ba1a563dcdaca:1', 'e20e36e16fcb0cc8:1', 'b3edc88f2938467e:1', 'c8e28b0b4002a3a0:1', 'c129715d7a2bc9a3:1'],
    ],
    [
      ' hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r',
      ['e9496ae3ebfced30:1', 'fb7c023a8b9ccb3f:1', 'ce8ba1a563dcdaca:1', 'e20e36e16fcb0cc8:1', 'b3edc88f2938467e:1', 'c8e28b0b4002a3a0:1', 'c129715d7a2bc9a3:1'],
    ],
    [
      'Lorem ipsum dolor sit amet.\n'.repeat(10),
      [
        ...[1, 2, 3, 4, 5, 6].map((n) => `a7f2ff13bc495cf2:${n}`),
        'a7f2ff1481e87703:1', 'a9cf91f7bbf1862b:1', '55ec222b86bcae53:1', 'cc97dc7b1d7d8f7b:1', 'c129715d7a2bc9a3:1',
      ],
    ],
  ])('matches GitHub for %j', (text, expected) => {
    expect(lineHashes(text)).toEqual(expected);
  });

  it('keeps a line\'s hash when lines are inserted above it', () => {
    const lines = readLines(MAIN_TF);
    const moved = ['# new', 'variable "x" {}', ...lines];
    expect(primaryLocationLineHash(moved, 7 + 2)).toBe(primaryLocationLineHash(lines, 7));
    expect(primaryLocationLineHash(lines, 999)).toBeUndefined();
    expect(primaryLocationLineHash([], 1)).toBeUndefined();
  });
});

describe('text', () => {
  const text = formatText(makeResult(), { color: false, readLines });
  const lines = text.split('\n');

  it('uses no escape codes without colour, and some with it', () => {
    expect(text).not.toContain(ESC);
    const coloured = formatText(makeResult(), { color: true, readLines });
    expect(coloured).toContain(`${ESC}[31merror${ESC}[39m`);
    // Same words once the colour is stripped.
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(text);
  });

  it('lists input problems first, with file:line:col', () => {
    expect(lines[0]).toBe('Input problems');
    expect(lines[1]).toBe('  broken.tf:3:5  error  Unclosed configuration block  parse-error');
    expect(lines[2]).toBe(`  ${path.join(OUTSIDE, 'x.tf')}:1  warning  module "y" source not found  module-not-found`);
    expect(lines[3]).toBe('  note  provider functions are not evaluated  unsupported');
  });

  it('groups findings under their relative path, in line order', () => {
    const headers = lines.filter((l) => l !== '' && !l.startsWith(' ') && !/^[✖✔⚠]/.test(l) && l !== 'Input problems');
    expect(headers).toEqual(['main.tf', OUTSIDE_TF]);
    const findingLines = lines.filter((l) => /^ {2}\d+:\d+/.test(l));
    expect(findingLines).toEqual([
      '  1:1    error    runtime "ruby2.7" is deprecated.  lambda-outdated-runtime',
      '  5:1    error    aws_lambda_function.api is invoked by API Gateway integration aws_api_gateway_integration.lambda (HTTP).  lambda-no-http',
      '  7:19   warning  runtime "python3.12" is not Ruby.  lambda-ruby-only',
      '  13:12  note     runtime "nodejs18.x" reaches end of support soon.  lambda-outdated-runtime',
      '  2:3  error    runtime "ruby2.7" needs checking.  lambda-ruby-only',
    ]);
  });

  it('shows related locations and the outside location a finding was moved from', () => {
    expect(text).toContain('    ↳ api/gateway.tf:3:3 API Gateway REST integration aws_api_gateway_integration.lambda');
    expect(text).toContain(`    ↳ ${OUTSIDE_TF}:2:13 flagged here (outside the working directory)`);
    expect(text).toContain('    ↳ main.tf:1:1 module call module.shared');
  });

  it('draws a code frame with context and a caret under the region', () => {
    const i = lines.indexOf('  7:19   warning  runtime "python3.12" is not Ruby.  lambda-ruby-only');
    const frame = lines.slice(i + 2, i + 8);
    expect(frame).toEqual([
      '      5 | resource "aws_lambda_function" "api" {',
      '      6 |   function_name = "api"',
      '    > 7 |   runtime       = "python3.12"',
      '        |                   ^^^^^^^^^^^^',
      '      8 |   handler       = "app.handler"',
      '      9 | }',
    ]);
    // A tab before the region stays a tab under it, so the caret lines up.
    expect(text).toContain('    > 13 | \truntime = "nodejs18.x"\n         | \t          ^^^^^^^^^^^^');
  });

  it('leaves out suppressed findings but counts them', () => {
    expect(text).not.toContain('"nodejs18.x" is not Ruby');
    expect(lines[lines.length - 2]).toBe('✖ 3 errors, 1 warning, 1 note (1 suppressed) in 12 files; 3 input problems');
  });

  it('works without source text (no frames)', () => {
    const plain = formatText(makeResult(), { color: false });
    expect(plain).not.toContain(' | ');
    expect(plain).toContain('  7:19   warning  runtime "python3.12" is not Ruby.  lambda-ruby-only');
  });

  it('summarises clean and empty runs', () => {
    expect(formatText(makeResult({ findings: [], diagnostics: [] }), OPTS)).toBe('✔ no findings in 12 files\n');
    expect(formatText(makeResult({ findings: [], diagnostics: [], filesScanned: 1 }), OPTS)).toBe('✔ no findings in 1 file\n');
    expect(formatText(makeResult({ findings: [], diagnostics: [], filesScanned: 0 }), OPTS)).toBe(
      '⚠ nothing was found to lint: no Terraform files (.tf, .tf.json) or plan files\n',
    );
    const onlySuppressed = makeResult({ findings: makeResult().findings.filter((f) => f.suppression), diagnostics: [] });
    expect(formatText(onlySuppressed, OPTS)).toBe('✔ no findings (1 suppressed) in 12 files\n');
  });

  it('neutralises control characters from the linted files', () => {
    const evil = finding({
      ruleId: 'lambda-no-http', level: 'error', message: `bad\u001b[2Jname\nnext`, address: 'a',
      location: at(MAIN_TF, region(6, 3, 6, 16)),
    });
    const out = formatText(makeResult({ findings: [evil], diagnostics: [] }), { color: false, readLines: () => ['x', '  na\u001bme = 1'] });
    expect(out).not.toContain(ESC);
    expect(out).toContain('bad\ufffd[2Jname next');
  });
});

describe('json', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'result.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
  const output = format(makeResult(), 'json', OPTS);
  const report = JSON.parse(output);

  it('is valid against schemas/result.schema.json', () => {
    expect(validate(report)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
    const empty = JSON.parse(format(makeResult({ findings: [], diagnostics: [], filesScanned: 0 }), 'json', OPTS));
    expect(validate(empty)).toBe(true);
  });

  it('has the documented top level in a stable key order', () => {
    expect(Object.keys(report)).toEqual(['version', 'tool', 'asOf', 'summary', 'findings', 'diagnostics']);
    expect(report.version).toBe(1);
    expect(report.tool).toEqual({ name: 'lambda-adr-lint', version: '0.1.0' });
    expect(report.asOf).toBe('2026-11-27');
    expect(report.summary).toEqual({ error: 3, warning: 1, note: 1, suppressed: 1, files: 12 });
    expect(Object.keys(report.findings[0])).toEqual(['ruleId', 'level', 'message', 'address', 'location', 'related', 'fingerprint']);
    expect(output).toBe(format(makeResult(), 'json', OPTS));
  });

  it('writes relative paths only, borrowing or dropping locations outside cwd', () => {
    expect(output).not.toContain(CWD);
    expect(output).not.toContain(OUTSIDE);
    expect(output).not.toContain('../');
    const http = report.findings.find((f: { ruleId: string }) => f.ruleId === 'lambda-no-http');
    expect(http.location).toEqual({ file: 'main.tf', startLine: 5, startColumn: 1, endLine: 9, endColumn: 2 });
    expect(http.related).toEqual([
      { file: 'api/gateway.tf', startLine: 3, startColumn: 3, endLine: 3, endColumn: 44, message: 'API Gateway REST integration aws_api_gateway_integration.lambda' },
    ]);
    const moved = report.findings.find((f: { address: string }) => f.address === 'module.shared.aws_lambda_function.this');
    expect(moved.location).toEqual({ file: 'main.tf', startLine: 1, startColumn: 1, endLine: 3, endColumn: 2 });
    expect(moved.related).toHaveLength(1);
    const lost = report.findings.find((f: { address: string }) => f.address === 'module.other.aws_lambda_function.this');
    expect(lost.location).toBeNull();
    expect(report.diagnostics[1]).toEqual({ level: 'warning', code: 'module-not-found', message: 'module "y" source not found' });
    expect(report.diagnostics[0]).toEqual({ level: 'error', code: 'parse-error', message: 'Unclosed configuration block', file: 'broken.tf', line: 3, column: 5 });
  });

  it('keeps suppressed findings with their suppression', () => {
    const s = report.findings.find((f: { suppression?: unknown }) => f.suppression);
    expect(s.suppression).toEqual({
      kind: 'inSource', justification: 'migrating in Q3',
      location: { file: 'main.tf', startLine: 11, startColumn: 1, endLine: 11, endColumn: 67 },
    });
    expect(s.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the schema rejects absolute and escaping paths', () => {
    const bad = JSON.parse(output);
    bad.findings[0].location.file = '/etc/main.tf';
    expect(validate(bad)).toBe(false);
    bad.findings[0].location.file = '../x.tf';
    expect(validate(bad)).toBe(false);
  });
});

describe('sarif', () => {
  const log = toSarif(makeResult(), OPTS);
  const run = log.runs[0];
  const results = run.results ?? [];
  const byAddress = (a: string): sarif.Result =>
    results.find((r) => r.locations?.[0].logicalLocations?.[0].fullyQualifiedName === a && !r.suppressions)!;

  it('has the log and run GitHub needs, without automationDetails', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.automationDetails).toBeUndefined();
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `file://${CWD}/` } });
    expect(run.invocations?.[0].workingDirectory).toEqual({ uri: `file://${CWD}/` });
    expect(run.invocations?.[0].executionSuccessful).toBe(false);
  });

  it('describes every rule that ran', () => {
    const driver = run.tool.driver;
    expect(driver.name).toBe('lambda-adr-lint');
    expect(driver.version).toBe('0.1.0');
    expect(driver.semanticVersion).toBe('0.1.0');
    expect(driver.informationUri).toBe('https://github.com/example/lambda-adr-lint');
    expect(driver.rules?.map((r) => r.id)).toEqual(['lambda-no-http', 'lambda-ruby-only', 'lambda-outdated-runtime']);
    const rule = driver.rules![0];
    expect(rule.shortDescription?.text).toBe('Short description of lambda-no-http.');
    expect(rule.fullDescription?.text).toContain('Full description');
    expect(rule.help?.text).toContain('The ADR sentence behind lambda-no-http.');
    expect(rule.help?.markdown).toContain('> ADR030: "The ADR sentence behind lambda-no-http."');
    expect(rule.help?.markdown).toContain('**How to fix:**');
    expect(rule.helpUri).toBe('https://github.com/example/lambda-adr-lint/blob/main/docs/rules/lambda-no-http.md');
    expect(rule.defaultConfiguration?.level).toBe('error');
    expect(rule.properties).toEqual({
      tags: ['adr030', 'lambda', 'http', 'security'], precision: 'high', 'security-severity': '7.5', 'problem.severity': 'error',
    });
  });

  it('gives each result rule, level, message, one location with region and address, fingerprints', () => {
    const r = byAddress('aws_lambda_function.api');
    expect(r.ruleId).toBe('lambda-no-http');
    expect(run.tool.driver.rules![r.ruleIndex!].id).toBe('lambda-no-http');
    expect(r.level).toBe('error');
    expect(r.message.text).toContain('API Gateway');
    expect(r.locations).toHaveLength(1);
    expect(r.locations![0]).toEqual({
      physicalLocation: {
        artifactLocation: { uri: 'main.tf', uriBaseId: '%SRCROOT%' },
        region: { startLine: 5, startColumn: 1, endLine: 9, endColumn: 2 },
      },
      logicalLocations: [{ fullyQualifiedName: 'aws_lambda_function.api', kind: 'resource' }],
    });
    expect(r.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: { artifactLocation: { uri: 'api/gateway.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 44 } },
        message: { text: 'API Gateway REST integration aws_api_gateway_integration.lambda' },
      },
    ]);
    const text = readLines(MAIN_TF).join('\n');
    expect(r.partialFingerprints).toEqual({
      primaryLocationLineHash: lineHashes(text)[4],
      'lambdaAdrLint/v1': makeResult().findings[0].fingerprint,
    });
  });

  it('marks suppressed results', () => {
    const s = results.filter((r) => r.suppressions);
    expect(s).toHaveLength(1);
    expect(s[0].suppressions).toEqual([{ kind: 'inSource', justification: 'migrating in Q3' }]);
  });

  it('never writes a path outside cwd', () => {
    const out = JSON.stringify(log);
    expect(out).not.toContain(OUTSIDE);
    expect(out).not.toContain('../');
    const moved = byAddress('module.shared.aws_lambda_function.this');
    expect(moved.locations![0].physicalLocation?.artifactLocation?.uri).toBe('main.tf');
    expect(moved.relatedLocations?.map((l) => l.physicalLocation?.artifactLocation?.uri)).toEqual(['main.tf']);
    const lost = byAddress('module.other.aws_lambda_function.this');
    expect(lost.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: 'module.other.aws_lambda_function.this', kind: 'resource' }] }]);
    expect(lost.partialFingerprints).toEqual({ 'lambdaAdrLint/v1': expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('reports input problems as tool notifications', () => {
    expect(run.invocations?.[0].toolExecutionNotifications).toEqual([
      {
        level: 'error', message: { text: 'Unclosed configuration block' }, descriptor: { id: 'parse-error' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'broken.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 5 } } }],
      },
      { level: 'warning', message: { text: 'module "y" source not found' }, descriptor: { id: 'module-not-found' } },
      { level: 'note', message: { text: 'provider functions are not evaluated' }, descriptor: { id: 'unsupported' } },
    ]);
  });

  it('percent-encodes paths that are not plain URI characters', () => {
    const f = finding({
      ruleId: 'lambda-no-http', level: 'error', message: 'm', address: 'a',
      location: at(path.join(CWD, 'my env', 'a#b.tf'), region(1, 1, 1, 2)),
    });
    const uri = toSarif(makeResult({ findings: [f] }), OPTS).runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri;
    expect(uri).toBe('my%20env/a%23b.tf');
  });

  it('stays within GitHub limits: results (highest levels kept), related locations, tags', () => {
    const many = Array.from({ length: SARIF_LIMITS.results + 1 }, (_, i) =>
      finding({
        ruleId: 'lambda-no-http', level: i === 0 ? 'note' : 'error', message: `m${i}`, address: `a${i}`,
        location: at(MAIN_TF, region(1, 1, 1, 2)),
        related: i === 1 ? Array.from({ length: 1005 }, () => ({ location: at(API_TF, region(1, 1, 1, 2)), message: 'r' })) : [],
      }),
    );
    const manyTags = fakeRule('lambda-no-http', 'error', { tags: Array.from({ length: 15 }, (_, i) => `t${i}`) });
    const big = toSarif(makeResult({ findings: many, rules: [manyTags], diagnostics: [] }), { ...OPTS, readLines: undefined }).runs[0];
    expect(big.results).toHaveLength(SARIF_LIMITS.results);
    expect(big.results!.every((r) => r.level === 'error')).toBe(true);
    expect(Math.max(...big.results!.map((r) => r.relatedLocations?.length ?? 0))).toBe(1000);
    expect(big.tool.driver.rules![0].properties!.tags).toHaveLength(10);
    expect(big.invocations![0].toolExecutionNotifications![0].message.text).toMatch(/^1 of 25001 results were left out/);
  });

  it('adds a descriptor for a result whose rule did not run', () => {
    const f = finding({ ruleId: 'ecs-mystery', level: 'warning', message: 'm', address: 'a', location: at(MAIN_TF, region(1, 1, 1, 2)) });
    const r = toSarif(makeResult({ findings: [f] }), OPTS).runs[0];
    expect(r.tool.driver.rules![r.results![0].ruleIndex!].id).toBe('ecs-mystery');
  });

  it('omits helpUri and informationUri when the docs URL is not absolute', () => {
    const r = toSarif(makeResult(), { ...OPTS, docsBaseUrl: 'docs/rules' }).runs[0];
    expect(r.tool.driver.informationUri).toBeUndefined();
    expect(r.tool.driver.rules![0].helpUri).toBeUndefined();
  });
});

describe('github', () => {
  const out = formatGithub(makeResult());
  const lines = out.trimEnd().split('\n');

  it('writes diagnostics first, then one command per unsuppressed finding', () => {
    expect(lines).toHaveLength(3 + 5);
    expect(lines[0]).toBe('::error file=broken.tf,line=3,col=5,title=lambda-adr-lint parse-error::Unclosed configuration block');
    expect(lines[1]).toBe('::warning title=lambda-adr-lint module-not-found::module "y" source not found');
    expect(lines[2]).toBe('::notice title=lambda-adr-lint unsupported::provider functions are not evaluated');
  });

  it('gives file, lines and (for one-line regions) columns, the rule as title, note as notice', () => {
    expect(lines).toContain(
      '::warning file=main.tf,line=7,endLine=7,col=19,endColumn=31,title=lambda-ruby-only::runtime "python3.12" is not Ruby.%0A↳ main.tf:5 aws_lambda_function aws_lambda_function.api',
    );
    expect(lines).toContain('::notice file=main.tf,line=13,endLine=13,col=12,endColumn=24,title=lambda-outdated-runtime::runtime "nodejs18.x" reaches end of support soon.');
    expect(lines.find((l) => l.includes('lambda-no-http'))).toMatch(/^::error file=main\.tf,line=5,endLine=9,title=lambda-no-http::/);
    expect(lines).toContain('::error title=lambda-ruby-only::module.other.aws_lambda_function.this: runtime "ruby2.7" needs checking.');
    expect(out).not.toContain(OUTSIDE);
  });

  it('escapes as the runner expects', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const f = finding({
      ruleId: 'lambda-no-http', level: 'error', message: '50%\nsecond', address: 'a',
      location: at(path.join(CWD, 'x,y:z.tf'), region(1, 1, 1, 2)),
    });
    expect(formatGithub(makeResult({ findings: [f], diagnostics: [] }))).toBe(
      '::error file=x%2Cy%3Az.tf,line=1,endLine=1,col=1,endColumn=2,title=lambda-no-http::50%25%0Asecond\n',
    );
  });
});

describe('format()', () => {
  it('knows its formats', () => {
    expect(FORMATS).toEqual(['text', 'json', 'sarif', 'github', 'markdown']);
    expect(isFormat('sarif')).toBe(true);
    expect(isFormat('markdown')).toBe(true);
    expect(isFormat('html')).toBe(false);
  });

  it.each(FORMATS)('handles the empty result in %s', (fmt) => {
    const empty = makeResult({ findings: [], diagnostics: [], filesScanned: 0, rules: [] });
    const out = format(empty, fmt, OPTS);
    if (fmt === 'github') expect(out).toBe('');
    else expect(out.endsWith('\n')).toBe(true);
    if (fmt === 'json') expect(JSON.parse(out).findings).toEqual([]);
    if (fmt === 'sarif') {
      const log = JSON.parse(out);
      expect(log.runs[0].results).toEqual([]);
      expect(log.runs[0].tool.driver.rules).toEqual([]);
      expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
    }
  });

  it('does not throw when readLines throws', () => {
    const opts = { ...OPTS, readLines: () => { throw new Error('unreadable'); } };
    for (const fmt of FORMATS) expect(() => format(makeResult(), fmt, opts)).not.toThrow();
  });

  it('is the same as the direct formatters', () => {
    expect(format(makeResult(), 'text', OPTS)).toBe(formatText(makeResult(), { color: false, readLines }));
    expect(JSON.parse(format(makeResult(), 'json', OPTS))).toEqual(toJsonReport(makeResult(), OPTS));
    expect(format(makeResult(), 'github', OPTS)).toBe(formatGithub(makeResult()));
  });
});
