/**
 * Inline suppressions: parsing `lambda-adr-lint:ignore` comments, which line they apply to, address
 * globs for config exceptions, and the suppression pass (anchors, expiry, exceptions, reports of
 * broken comments) — first on hand-made findings, then through lint() on real Terraform.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lint } from '../src/lint';
import type { Locator } from '../src/locate/locator';
import type { Resource } from '../src/model/model';
import { hclPointer, pointerKey, type Location, type SourcePointer } from '../src/model/source';
import type { ReportedFinding } from '../src/report/result';
import { addressGlob } from '../src/suppress/address-glob';
import { applySuppressions, type SuppressOptions } from '../src/suppress/apply';
import { parseComment, scanComments } from '../src/suppress/comments';
import { SUPPRESSION_RULE_ID } from '../src/suppress/rule';

describe('parseComment', () => {
  test('a # comment with one rule and a reason', () => {
    expect(parseComment('# lambda-adr-lint:ignore lambda-ruby-only reason="vendor code"')).toEqual({
      startColumn: 1,
      endColumn: 63,
      rules: ['lambda-ruby-only'],
      reason: 'vendor code',
      problems: [],
    });
  });

  test('a // comment, indented, with an expiry', () => {
    const text = '    // lambda-adr-lint:ignore lambda-outdated-runtime reason="FORMS-987" expires=2027-01-31';
    const c = parseComment(text + '   ');
    expect(c).toMatchObject({ startColumn: 5, rules: ['lambda-outdated-runtime'], reason: 'FORMS-987', expires: '2027-01-31', problems: [] });
    expect(c!.endColumn).toBe(text.length + 1); // trailing blanks are not part of the comment
  });

  test('several rule IDs, with or without spaces after the commas', () => {
    expect(parseComment('# lambda-adr-lint:ignore a,b, c reason=x')!.rules).toEqual(['a', 'b', 'c']);
  });

  test('reasons: double quotes with escapes, single quotes, a bare word', () => {
    expect(parseComment('# lambda-adr-lint:ignore r reason="say \\"hi\\" twice"')!.reason).toBe('say "hi" twice');
    expect(parseComment("# lambda-adr-lint:ignore r reason='it''s'")!.reason).toBe('it');
    expect(parseComment('# lambda-adr-lint:ignore r reason=FORMS-1')!.reason).toBe('FORMS-1');
    expect(parseComment('#lambda-adr-lint:ignore r reason="no space after #"')!.problems).toEqual([]);
  });

  test('a missing, empty or blank reason is a problem', () => {
    expect(parseComment('# lambda-adr-lint:ignore lambda-ruby-only')!.problems).toEqual(['it has no reason (write reason="…")']);
    expect(parseComment('# lambda-adr-lint:ignore lambda-ruby-only reason=""')!.problems).toHaveLength(1);
    expect(parseComment('# lambda-adr-lint:ignore lambda-ruby-only reason="   "')!.problems).toHaveLength(1);
  });

  test('an expiry that is not a real YYYY-MM-DD date is a problem', () => {
    expect(parseComment('# lambda-adr-lint:ignore r reason=x expires=2027-02-30')!.problems).toEqual(['expires="2027-02-30" is not a date as YYYY-MM-DD']);
    expect(parseComment('# lambda-adr-lint:ignore r reason=x expires=31/01/2027')!.problems).toHaveLength(1);
  });

  test('unknown keys, unclosed quotes, no rule and unknown directives are problems', () => {
    expect(parseComment('# lambda-adr-lint:ignore r reason=x expire=2027-01-01')!.problems).toEqual(['unknown key "expire" (expected reason and expires)']);
    expect(parseComment('# lambda-adr-lint:ignore r reason="open')!.problems).toEqual(['the value of reason has no closing quote']);
    expect(parseComment('# lambda-adr-lint:ignore reason="x"')!.problems).toEqual(['it names no rule']);
    expect(parseComment('# lambda-adr-lint:disable r reason=x')!.problems).toEqual(['unknown directive "lambda-adr-lint:disable" (the only one is lambda-adr-lint:ignore)']);
  });

  test('lines that are not whole-line lambda-adr-lint comments are not suppressions', () => {
    expect(parseComment('# see the lambda-adr-lint:ignore docs')).toBeUndefined();
    expect(parseComment('runtime = "python3.12" # lambda-adr-lint:ignore r reason=x')).toBeUndefined();
    expect(parseComment('  description = "lambda-adr-lint:ignore"')).toBeUndefined();
  });
});

describe('scanComments', () => {
  test('a comment applies to the first non-comment line below it, across stacked comments', () => {
    const lines = [
      '# lambda-adr-lint:ignore a reason=x', // 1
      '# another comment', //                  2
      '// and another', //                     3
      '/* a one-line block comment */', //    4
      'resource "t" "n" {', //                 5
      '  # lambda-adr-lint:ignore b reason=y', // 6
      '  runtime = "python3.12"', //           7
      '}', //                                  8
    ];
    expect(scanComments(lines).map((c) => [c.line, c.target, c.rules[0]])).toEqual([[1, 5, 'a'], [6, 7, 'b']]);
  });

  test('a blank line or the end of the file below the comment stack leaves it applying to nothing', () => {
    const blank = scanComments(['# lambda-adr-lint:ignore a reason=x', '# more', '', 'resource "t" "n" {}']);
    expect(blank[0].target).toBeUndefined();
    expect(blank[0].problems).toEqual(['it is not directly above a block or attribute (a blank line or the end of the file follows it)']);
    expect(scanComments(['resource "t" "n" {}', '# lambda-adr-lint:ignore a reason=x'])[0].target).toBeUndefined();
  });
});

describe('addressGlob', () => {
  test.each([
    ['module.retry.aws_lambda_function.*', 'module.retry.aws_lambda_function.this', true],
    ['module.retry.aws_lambda_function.*', 'module.retry.aws_lambda_function.this["a.b"]', true],
    ['module.retry.aws_lambda_function.*', 'module.retry.module.inner.aws_lambda_function.this', false],
    ['module.legacy.**', 'module.legacy.module.inner.aws_lambda_function.this', true],
    ['module.legacy.**', 'module.legacy_two.aws_lambda_function.this', false],
    ['**.aws_lambda_function.legacy_*', 'aws_lambda_function.legacy_exporter', true],
    ['**.aws_lambda_function.legacy_*', 'module.a["k"].aws_lambda_function.legacy_x[0]', true],
    ['module.*.aws_lambda_function.this', 'module.w["x.y"].aws_lambda_function.this', true],
    ['aws_lambda_function.fn', 'aws_lambda_function.fn[0]', true],
    ['aws_lambda_function.fn', 'aws_lambda_function.fn2', false],
    ['aws_lambda_function.fn["a"]', 'aws_lambda_function.fn["a"]', true],
    ['aws_lambda_function.fn["a"]', 'aws_lambda_function.fn["b"]', false],
    ['*', 'aws_lambda_function.fn', false],
    ['**', 'module.a.aws_lambda_function.fn', true],
  ])('%s ~ %s → %s', (pattern, address, expected) => {
    expect(addressGlob(pattern)(address)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// The suppression pass on hand-made findings.

const DIR = path.resolve('/work/proj');
const MAIN = path.join(DIR, 'main.tf');
const MOD = path.join(DIR, 'modules', 'fn', 'main.tf');

const SOURCES: Record<string, string[]> = {
  [MAIN]: [
    '# lambda-adr-lint:ignore lambda-no-datastore reason="agreed with the DB team"', //        1
    'resource "aws_lambda_function" "api" {', //                                           2
    '  # lambda-adr-lint:ignore lambda-ruby-only reason="attribute-level"', //             3
    '  runtime = "python3.12"', //                                                         4
    '}', //                                                                                  5
    '', //                                                                                   6
    '# lambda-adr-lint:ignore lambda-no-http reason="on the integration block"', //         7
    'resource "aws_api_gateway_integration" "x" {', //                                      8
    '  uri = aws_lambda_function.api.invoke_arn', //                                        9
    '}', //                                                                                 10
    '', //                                                                                  11
    '# lambda-adr-lint:ignore lambda-outdated-runtime reason="old" expires=2026-01-01', //  12
    'module "fn" {', //                                                                     13
    '  source = "./modules/fn"', //                                                         14
    '}', //                                                                                 15
    '', //                                                                                  16
    '# lambda-adr-lint:ignore lambda-ruby-only reason="module-wide"', //                    17
    'module "fn2" {', //                                                                    18
    '  source = "./modules/fn"', //                                                         19
    '}', //                                                                                 20
  ],
  [MOD]: ['resource "aws_lambda_function" "this" {', '  runtime = "ruby3.2"', '}'],
};

const block = (file: string, startLine: number, endLine: number): Location => ({ file, region: { startLine, startColumn: 1, endLine, endColumn: 2 } });
const line = (file: string, n: number, col = 3): Location => ({ file, region: { startLine: n, startColumn: col, endLine: n, endColumn: 20 } });

const API_PTR = hclPointer(MAIN, ['resource', 'aws_lambda_function', 'api']);
const INTEGRATION_PTR = hclPointer(MAIN, ['resource', 'aws_api_gateway_integration', 'x']);
const CALL_PTR = hclPointer(MAIN, ['module', 'fn']);
const CALL2_PTR = hclPointer(MAIN, ['module', 'fn2']);
const MOD_PTR = hclPointer(MOD, ['resource', 'aws_lambda_function', 'this']);

const LOCATED = new Map<string, Location>([
  [pointerKey(API_PTR), block(MAIN, 2, 5)],
  [pointerKey(INTEGRATION_PTR), block(MAIN, 8, 10)],
  [pointerKey(CALL_PTR), block(MAIN, 13, 15)],
  [pointerKey(CALL2_PTR), block(MAIN, 18, 20)],
  [pointerKey(MOD_PTR), block(MOD, 1, 3)],
]);

const locator: Locator = {
  locate: (p) => LOCATED.get(pointerKey(p)) ?? { file: p.file, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } },
  lines: (f) => SOURCES[f] ?? [],
};

function resource(address: string, pointer: SourcePointer, moduleChain: Resource['moduleChain'] = []): Resource {
  const [type, name] = address.split('.').slice(-2);
  return {
    address,
    resourceAddress: address,
    moduleAddress: moduleChain.length ? moduleChain[moduleChain.length - 1].address : '',
    mode: 'managed',
    type,
    name,
    existence: 'exists',
    values: { kind: 'object', entries: new Map() } as unknown as Resource['values'],
    pointer,
    attributePointer: (p) => hclPointer(pointer.file, [...pointer.path, ...p]),
    moduleChain,
    root: DIR,
  };
}

const API = resource('aws_lambda_function.api', API_PTR);
const MODULE_FN = resource('module.fn.aws_lambda_function.this', MOD_PTR, [{ address: 'module.fn', pointer: CALL_PTR }]);
const MODULE_FN2 = resource('module.fn2.aws_lambda_function.this', MOD_PTR, [{ address: 'module.fn2', pointer: CALL2_PTR }]);

function finding(ruleId: string, address: string, location: Location, related: { pointer: SourcePointer; location: Location; message: string }[] = []): ReportedFinding {
  return {
    ruleId,
    level: 'error',
    message: `${ruleId} on ${address}.`,
    address,
    pointer: hclPointer(location.file, []),
    related: related.map((r) => ({ pointer: r.pointer, message: r.message })),
    location,
    relatedLocations: related.map((r) => ({ location: r.location, message: r.message })),
    fingerprint: `${ruleId}|${address}`,
  };
}

const OPTS: SuppressOptions = {
  cwd: DIR,
  asOf: '2026-11-27',
  locator,
  resources: [API, MODULE_FN, MODULE_FN2],
  knownRules: new Set(['lambda-no-http', 'lambda-no-datastore', 'lambda-ruby-only', 'lambda-outdated-runtime']),
};

describe('applySuppressions', () => {
  test('a comment above the resource block suppresses a finding located elsewhere', () => {
    const f = finding('lambda-no-datastore', API.address, line(MAIN, 9), [{ pointer: API_PTR, location: block(MAIN, 2, 5), message: 'fn' }]);
    const [out] = applySuppressions([f], OPTS);
    expect(out.suppression).toEqual({ kind: 'inSource', justification: 'agreed with the DB team', location: { file: MAIN, region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: SOURCES[MAIN][0].length + 1 } } });
  });

  test('a comment above the primary location (an attribute) suppresses', () => {
    const [out] = applySuppressions([finding('lambda-ruby-only', API.address, line(MAIN, 4))], OPTS);
    expect(out.suppression?.justification).toBe('attribute-level');
  });

  test('a comment above an attribute of its own resource (a related location) suppresses', () => {
    const attr = API.attributePointer(['runtime']);
    const f = finding('lambda-ruby-only', API.address, line(path.join(DIR, 'terraform.tfvars'), 1), [{ pointer: attr, location: line(MAIN, 4), message: 'runtime of fn' }]);
    expect(applySuppressions([f], OPTS)[0].suppression?.justification).toBe('attribute-level');
  });

  test('a comment above another resource that is only related (the front door) does not suppress', () => {
    // The finding is on the integration's uri line 9; the comment sits above the integration block (line 8).
    const f = finding('lambda-no-http', API.address, line(MAIN, 9), [
      { pointer: API_PTR, location: block(MAIN, 2, 5), message: 'fn' },
      { pointer: INTEGRATION_PTR, location: block(MAIN, 8, 10), message: 'front door' },
    ]);
    expect(applySuppressions([f], OPTS)[0].suppression).toBeUndefined();
  });

  test('a comment for another rule does not suppress', () => {
    const f = finding('lambda-outdated-runtime', API.address, line(MAIN, 4));
    expect(applySuppressions([f], OPTS)[0].suppression).toBeUndefined();
  });

  test('a comment above a module call covers what the call creates; an expired one says so', () => {
    const covered = finding('lambda-ruby-only', MODULE_FN2.address, line(MOD, 2));
    const expired = finding('lambda-outdated-runtime', MODULE_FN.address, line(MOD, 2));
    const [a, b] = applySuppressions([covered, expired], OPTS);
    expect(a.suppression?.justification).toBe('module-wide');
    expect(b.suppression).toBeUndefined();
    expect(b.message).toBe('lambda-outdated-runtime on module.fn.aws_lambda_function.this. The suppression at main.tf:12 expired on 2026-01-01 (reason: "old").');
  });

  test('an expiry date is inclusive', () => {
    const f = finding('lambda-outdated-runtime', MODULE_FN.address, line(MOD, 2));
    expect(applySuppressions([f], { ...OPTS, asOf: '2026-01-01' })[0].suppression?.justification).toBe('old');
  });

  test('without a model resource, module call related locations still count', () => {
    const f = finding('lambda-ruby-only', 'module.fn2.aws_lambda_function.other', line(MOD, 2), [{ pointer: CALL2_PTR, location: block(MAIN, 18, 20), message: 'module call module.fn2' }]);
    expect(applySuppressions([f], OPTS)[0].suppression?.justification).toBe('module-wide');
  });

  test('config exceptions: external suppression by glob, expired ones noted in the message', () => {
    const cfg = path.join(DIR, '.lambda-adr-lint.yml');
    const exceptions = [
      { rule: 'lambda-no-http', address: 'module.*.aws_lambda_function.*', reason: 'old', expires: '2026-06-30', origin: '.lambda-adr-lint.yml', location: block(cfg, 4, 7) },
      { rule: 'lambda-no-http', address: 'module.fn2.**', reason: 'agreed', origin: '.lambda-adr-lint.yml', location: block(cfg, 8, 10) },
    ];
    const [a, b] = applySuppressions([finding('lambda-no-http', MODULE_FN2.address, line(MOD, 2)), finding('lambda-no-http', MODULE_FN.address, line(MOD, 2))], { ...OPTS, exceptions });
    expect(a.suppression).toEqual({ kind: 'external', justification: 'agreed', location: block(cfg, 8, 10) });
    expect(b.suppression).toBeUndefined();
    expect(b.message).toMatch(/The exception in \.lambda-adr-lint\.yml:4 expired on 2026-06-30 \(reason: "old"\)\.$/);
  });

  test('an inline suppression wins over an exception; already suppressed findings pass unchanged', () => {
    const exceptions = [{ rule: 'lambda-ruby-only', address: '**', reason: 'config', origin: 'c.yml' }];
    const pre = { ...finding('lambda-no-http', API.address, line(MAIN, 4)), suppression: { kind: 'external' as const, justification: 'before' } };
    const [a, b] = applySuppressions([finding('lambda-ruby-only', API.address, line(MAIN, 4)), pre], { ...OPTS, exceptions });
    expect(a.suppression?.kind).toBe('inSource');
    expect(b).toBe(pre);
  });

  test('broken comments in files with findings become lambda-adr-lint-suppression findings', () => {
    const file = path.join(DIR, 'broken.tf');
    SOURCES[file] = [
      '# lambda-adr-lint:ignore lambda-ruby-only', //                                  1
      '# lambda-adr-lint:ignore lambda-ruby-olny, lambda-no-http reason="typo"', //    2
      'resource "aws_lambda_function" "x" {', //                                      3
      '  runtime = "python3.12"', //                                                  4
      '}', //                                                                          5
      '# lambda-adr-lint:ignore totally-unknown reason="x"', //                        6
      '', //                                                                           7
    ];
    const out = applySuppressions([finding('lambda-ruby-only', 'aws_lambda_function.x', block(file, 3, 5))], OPTS);
    expect(out[0].suppression).toBeUndefined();
    const problems = out.filter((f) => f.ruleId === SUPPRESSION_RULE_ID);
    expect(problems.map((p) => [p.location.region.startLine, p.level, p.address, p.message])).toEqual([
      [1, 'warning', 'aws_lambda_function.x', 'This suppression comment suppresses nothing: it has no reason (write reason="…").'],
      [2, 'warning', 'aws_lambda_function.x', 'This suppression comment suppresses less than it says: "lambda-ruby-olny" is not a rule (did you mean "lambda-ruby-only"?).'],
      [6, 'warning', '', 'This suppression comment suppresses nothing: it is not directly above a block or attribute (a blank line or the end of the file follows it); "totally-unknown" is not a rule (`lambda-adr-lint rules` lists them).'],
    ]);
    expect(new Set(problems.map((p) => p.fingerprint)).size).toBe(3);
    expect(applySuppressions([finding('lambda-ruby-only', 'aws_lambda_function.x', block(file, 3, 5))], { ...OPTS, problemLevel: 'error' }).filter((f) => f.ruleId === SUPPRESSION_RULE_ID).map((f) => f.level)).toEqual(['error', 'error', 'error']);
    expect(applySuppressions([finding('lambda-ruby-only', 'aws_lambda_function.x', block(file, 3, 5))], { ...OPTS, problemLevel: 'off' })).toHaveLength(1);
  });

  test('files without findings are not read for comments', () => {
    const read: string[] = [];
    const spy: Locator = { locate: locator.locate, lines: (f) => (read.push(f), locator.lines(f)) };
    applySuppressions([finding('lambda-ruby-only', API.address, line(MAIN, 4))], { ...OPTS, locator: spy });
    expect([...new Set(read)]).toEqual([MAIN]);
  });
});

// ---------------------------------------------------------------------------------------------
// Through lint(): real parsing and locating.

describe('lint() with suppression comments', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-suppress-'));
    fs.mkdirSync(path.join(dir, 'modules', 'fn'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.tf'), [
      'module "a" {',
      '  source = "./modules/fn"',
      '}',
      '',
      'module "b" {',
      '  source = "./modules/fn"',
      '}',
      '',
      'variable "runtime" {',
      '  type = string',
      '}',
      '',
      'resource "aws_lambda_function" "from_var" {',
      '  function_name = "v"',
      '  role          = "arn:aws:iam::123456789012:role/x"',
      '  filename      = "x.zip"',
      '  handler       = "h.call"',
      '  # lambda-adr-lint:ignore lambda-ruby-only reason="value comes from tfvars"',
      '  runtime       = var.runtime',
      '}',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'terraform.tfvars'), 'runtime = "python3.12"\n');
    fs.writeFileSync(path.join(dir, 'modules', 'fn', 'main.tf'), [
      '// lambda-adr-lint:ignore lambda-ruby-only reason="shared module, every instance"',
      'resource "aws_lambda_function" "this" {',
      '  function_name = "m"',
      '  role          = "arn:aws:iam::123456789012:role/x"',
      '  filename      = "x.zip"',
      '  handler       = "h.handler"',
      '  runtime       = "nodejs22.x"',
      '}',
      '',
    ].join('\r\n')); // CRLF on purpose
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a comment above the resource in a module covers every call; one above the attribute covers a tfvars-located finding', async () => {
    const result = await lint({ paths: ['.'], cwd: dir, asOf: '2026-11-27' });
    const ruby = result.findings.filter((f) => f.ruleId === 'lambda-ruby-only');
    expect(ruby.map((f) => [f.address, f.suppression?.justification]).sort()).toEqual([
      ['aws_lambda_function.from_var', 'value comes from tfvars'],
      ['module.a.aws_lambda_function.this', 'shared module, every instance'],
      ['module.b.aws_lambda_function.this', 'shared module, every instance'],
    ]);
    expect(ruby.find((f) => f.address === 'aws_lambda_function.from_var')!.location.file).toBe(path.join(dir, 'terraform.tfvars'));
    expect(result.rules.map((r) => r.meta.id)).toContain(SUPPRESSION_RULE_ID);
  });

  test('two root modules with the same address: a comment in one does not suppress the other', async () => {
    const roots = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-roots-'));
    try {
      const fn = (comment: string) => `${comment}resource "aws_lambda_function" "worker" {\n  function_name = "w"\n  role = "arn:aws:iam::123456789012:role/x"\n  filename = "w.zip"\n  handler = "h.handler"\n  runtime = "python3.12"\n}\n`;
      for (const env of ['prod', 'staging']) fs.mkdirSync(path.join(roots, 'envs', env), { recursive: true });
      fs.writeFileSync(path.join(roots, 'envs', 'prod', 'main.tf'), fn(''));
      fs.writeFileSync(path.join(roots, 'envs', 'staging', 'main.tf'), fn('# lambda-adr-lint:ignore lambda-ruby-only reason="staging only"\n'));
      const result = await lint({ paths: ['.'], cwd: roots, asOf: '2026-11-27' });
      const ruby = result.findings.filter((f) => f.ruleId === 'lambda-ruby-only');
      expect(ruby.map((f) => [path.relative(roots, f.location.file), f.suppression?.justification])).toEqual([
        [path.join('envs', 'prod', 'main.tf'), undefined],
        [path.join('envs', 'staging', 'main.tf'), 'staging only'],
      ]);
    } finally {
      fs.rmSync(roots, { recursive: true, force: true });
    }
  });

  test('exceptions passed to lint() apply; the suppression rule can be turned off', async () => {
    const result = await lint({
      paths: ['.'],
      cwd: dir,
      asOf: '2026-11-27',
      exceptions: [{ rule: 'lambda-outdated-runtime', address: 'module.*.aws_lambda_function.this', reason: 'r', origin: 'x.yml' }],
      ruleSettings: { [SUPPRESSION_RULE_ID]: { level: 'off' } },
    });
    for (const f of result.findings.filter((f) => f.ruleId === 'lambda-outdated-runtime')) expect(f.suppression?.kind).toBe('external');
    expect(result.rules.map((r) => r.meta.id)).not.toContain(SUPPRESSION_RULE_ID);
  });
});
