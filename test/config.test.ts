/**
 * The config file: parsing YAML and JSON, validation against schemas/config.schema.json with one-line
 * errors that name the file, the key path and what was expected, exceptions with their positions,
 * and the upward search from the working directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { allRules } from '../rules';
import { CONFIG_SCHEMA } from '../src/config/schema';
import { findConfigFile, loadConfig, parseConfig, type ConfigResult } from '../src/config/load';
import { SUPPRESSION_RULE_ID } from '../src/suppress/rule';

const FILE = path.resolve('/work/proj/.lambda-adr-lint.yml');

function yaml(text: string): ConfigResult {
  return parseConfig(text, { file: FILE, shown: '.lambda-adr-lint.yml' });
}

function error(text: string): string {
  const r = yaml(text);
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('parseConfig: valid files', () => {
  test('rule levels, options and exceptions', () => {
    const r = yaml([
      'rules:', //                                              1
      '  lambda-ruby-only:', //                                 2
      '    level: warning', //                                  3
      '    options:', //                                        4
      '      allowedRuntimes: ["ruby*", "java21"]', //          5
      '  lambda-outdated-runtime:', //                          6
      '    options: { warningDays: 90 }', //                    7
      '  lambda-no-datastore:', //                              8
      '    options:', //                                        9
      '      extraStoreTypes:', //                             10
      '        - aws_docdb_cluster', //                        11
      '        - { type: aws_redshift_cluster, securityGroups: vpc_security_group_ids, label: Redshift }', // 12
      '  lambda-no-http: { level: off }', //                   13
      '  lambda-adr-lint-suppression: { level: error }', //    14
      'exceptions:', //                                        15
      '  - rule: lambda-ruby-only', //                         16
      '    address: "module.legacy_*.aws_lambda_function.*"', // 17
      '    reason: vendor exporter, FORMS-1234', //            18
      '    expires: 2027-06-30', //                            19
      '  - rule: lambda-no-http', //                           20
      '    address: aws_lambda_function.edge', //              21
      '    reason: "  Lambda@Edge, agreed  "', //              22
      '',
    ].join('\n'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.file).toBe(FILE);
    expect(r.config.ruleSettings).toEqual({
      'lambda-ruby-only': { level: 'warning', options: { allowedRuntimes: ['ruby*', 'java21'] } },
      'lambda-outdated-runtime': { options: { warningDays: 90 } },
      'lambda-no-datastore': { options: { extraStoreTypes: ['aws_docdb_cluster', { type: 'aws_redshift_cluster', securityGroups: 'vpc_security_group_ids', label: 'Redshift' }] } },
      'lambda-no-http': { level: 'off' },
      [SUPPRESSION_RULE_ID]: { level: 'error' },
    });
    expect(r.config.exceptions).toEqual([
      {
        rule: 'lambda-ruby-only',
        address: 'module.legacy_*.aws_lambda_function.*',
        reason: 'vendor exporter, FORMS-1234',
        expires: '2027-06-30', // a YAML date stays a string
        origin: '.lambda-adr-lint.yml',
        location: { file: FILE, region: { startLine: 16, startColumn: 5, endLine: 19, endColumn: 24 } },
      },
      {
        rule: 'lambda-no-http',
        address: 'aws_lambda_function.edge',
        reason: 'Lambda@Edge, agreed',
        origin: '.lambda-adr-lint.yml',
        location: { file: FILE, region: { startLine: 20, startColumn: 5, endLine: 22, endColumn: 38 } },
      },
    ]);
  });

  test('an empty file, or one with only comments, is an empty config', () => {
    for (const text of ['', '# nothing yet\n', '---\n']) {
      expect(yaml(text)).toEqual({ ok: true, config: { file: FILE, ruleSettings: {}, exceptions: [] } });
    }
  });

  test('a $schema key is allowed (editors use it)', () => {
    expect(yaml('$schema: ./schemas/config.schema.json\n').ok).toBe(true);
  });

  test('JSON files, with exception positions', () => {
    const file = path.resolve('/work/proj/.lambda-adr-lint.json');
    const text = JSON.stringify({ rules: { 'lambda-ruby-only': { level: 'note' } }, exceptions: [{ rule: 'lambda-no-http', address: '**', reason: 'r' }] }, null, '\t');
    const r = parseConfig(text, { file, shown: '.lambda-adr-lint.json' });
    expect(r.ok && r.config.ruleSettings).toEqual({ 'lambda-ruby-only': { level: 'note' } });
    expect(r.ok && r.config.exceptions[0].location?.region.startLine).toBe(8);
  });
});

describe('parseConfig: errors are one line with the file, the key path and what was expected', () => {
  test.each([
    ['a bad level', 'rules:\n  lambda-ruby-only:\n    level: fatal\n', '.lambda-adr-lint.yml: rules.lambda-ruby-only.level: must be one of error, warning, note, off'],
    ['an unknown rule', 'rules:\n  lambda-no-htp:\n    level: off\n', '.lambda-adr-lint.yml: rules.lambda-no-htp: unknown rule (did you mean lambda-no-http?); the rules are ' + [...allRules.map((r) => r.meta.id), SUPPRESSION_RULE_ID].join(', ')],
    ['an unknown option', 'rules:\n  lambda-ruby-only:\n    options:\n      allowedRuntime: [ruby3.4]\n', '.lambda-adr-lint.yml: rules.lambda-ruby-only.options.allowedRuntime: unknown option for lambda-ruby-only (its options: allowedRuntimes)'],
    ['an option for a rule without options', 'rules:\n  lambda-no-http:\n    options: { strict: true }\n', '.lambda-adr-lint.yml: rules.lambda-no-http.options.strict: unknown option: lambda-no-http has no options'],
    ['an unknown key in a rule', 'rules:\n  lambda-no-http:\n    severity: error\n', '.lambda-adr-lint.yml: rules.lambda-no-http.severity: unknown key (expected level, options)'],
    ['an unknown top-level key', 'rule:\n  lambda-no-http: {}\n', '.lambda-adr-lint.yml: rule: unknown key (expected rules, exceptions)'],
    ['a string for a number', 'rules:\n  lambda-outdated-runtime:\n    options:\n      warningDays: "90"\n', '.lambda-adr-lint.yml: rules.lambda-outdated-runtime.options.warningDays: must be a whole number, not the string "90"'],
    ['a negative number', 'rules:\n  lambda-outdated-runtime:\n    options:\n      warningDays: -1\n', '.lambda-adr-lint.yml: rules.lambda-outdated-runtime.options.warningDays: must be 0 or more'],
    ['a fraction', 'rules:\n  lambda-outdated-runtime:\n    options:\n      warningDays: 1.5\n', '.lambda-adr-lint.yml: rules.lambda-outdated-runtime.options.warningDays: must be a whole number, not the number 1.5'],
    ['a string for a list', 'rules:\n  lambda-ruby-only:\n    options:\n      allowedRuntimes: ruby3.4\n', '.lambda-adr-lint.yml: rules.lambda-ruby-only.options.allowedRuntimes: must be a list, not the string "ruby3.4"'],
    ['an empty list', 'rules:\n  lambda-ruby-only:\n    options:\n      allowedRuntimes: []\n', '.lambda-adr-lint.yml: rules.lambda-ruby-only.options.allowedRuntimes: must list at least 1 item'],
    ['a rule given as a bare level', 'rules:\n  lambda-ruby-only: warning\n', '.lambda-adr-lint.yml: rules.lambda-ruby-only: must be a mapping, not the string "warning"'],
    ['a list at the top', '- rules\n', '.lambda-adr-lint.yml: (top level): must be a mapping, not a list'],
    ['a store type that is not a type name', 'rules:\n  lambda-no-datastore:\n    options:\n      extraStoreTypes: ["Aws DocDB"]\n', '.lambda-adr-lint.yml: rules.lambda-no-datastore.options.extraStoreTypes[0]: must be a resource type name such as aws_dynamodb_table (data sources as data.<type>)'],
    ['a store type object without type', 'rules:\n  lambda-no-datastore:\n    options:\n      extraStoreTypes: [{ securityGroups: sg }]\n', '.lambda-adr-lint.yml: rules.lambda-no-datastore.options.extraStoreTypes[0].type: is required'],
    ['a store type object with an unknown key', 'rules:\n  lambda-no-datastore:\n    options:\n      extraStoreTypes: [{ type: aws_x, groups: sg }]\n', '.lambda-adr-lint.yml: rules.lambda-no-datastore.options.extraStoreTypes[0].groups: unknown key (expected type, securityGroups, label)'],
    ['a store type that is a number', 'rules:\n  lambda-no-datastore:\n    options:\n      extraStoreTypes: [42]\n', '.lambda-adr-lint.yml: rules.lambda-no-datastore.options.extraStoreTypes[0]: must be a resource type name (aws_dynamodb_table) or a mapping with type, and optionally securityGroups and label'],
    ['an exception without a reason', 'exceptions:\n  - rule: lambda-ruby-only\n    address: "**"\n', '.lambda-adr-lint.yml: exceptions[0].reason: is required'],
    ['an exception with a blank reason', 'exceptions:\n  - rule: lambda-ruby-only\n    address: "**"\n    reason: "  "\n', '.lambda-adr-lint.yml: exceptions[0].reason: must not be empty'],
    ['an exception for an unknown rule', 'exceptions:\n  - rule: lambda-ruby\n    address: "**"\n    reason: r\n', '.lambda-adr-lint.yml: exceptions[0].rule: must be one of ' + allRules.map((r) => r.meta.id).join(', ')],
    ['an expiry that is not a date', 'exceptions:\n  - rule: lambda-ruby-only\n    address: "**"\n    reason: r\n    expires: next year\n', '.lambda-adr-lint.yml: exceptions[0].expires: must be a date as YYYY-MM-DD'],
    ['an expiry that is no day', 'exceptions:\n  - rule: lambda-ruby-only\n    address: "**"\n    reason: r\n    expires: 2027-02-30\n', '.lambda-adr-lint.yml: exceptions[0].expires: 2027-02-30 is not a day of the calendar'],
    ['exceptions that are not a list', 'exceptions:\n  rule: lambda-ruby-only\n', '.lambda-adr-lint.yml: exceptions: must be a list, not a mapping'],
  ])('%s', (_name, text, expected) => {
    expect(error(text)).toBe(expected);
  });

  test('YAML syntax errors give the line and column', () => {
    expect(error('rules:\n  lambda-ruby-only:\n    level: warning\n   options: {}\n')).toBe('.lambda-adr-lint.yml:4:1: All mapping items must start at the same column');
    expect(error('rules:\n  x: y: z\n')).toBe('.lambda-adr-lint.yml:2:6: Nested mappings are not allowed in compact mappings');
    expect(error('\tx: 1\n')).toBe('.lambda-adr-lint.yml:1:1: Tabs are not allowed as indentation');
    expect(error('rules:\n  lambda-ruby-only: {}\n  lambda-ruby-only: {}\n')).toBe('.lambda-adr-lint.yml:3:3: Map keys must be unique');
    expect(error('rules: {}\n---\nrules: {}\n')).toMatch(/^\.lambda-adr-lint\.yml:2:1: Source contains multiple documents/);
    for (const e of [error('a: [\n'), error('\tx: 1\n')]) expect(e).not.toContain('\n');
  });

  test('JSON syntax errors give the line and column', () => {
    const e = parseConfig('{\n  "rules": {\n    "lambda-ruby-only": { "level": "warning", }\n  }\n}\n', { file: '/p/.lambda-adr-lint.json', shown: '.lambda-adr-lint.json' });
    expect(e.ok).toBe(false);
    expect(!e.ok && e.error).toMatch(/^\.lambda-adr-lint\.json:3:\d+: \S/);
    expect(!e.ok && e.error).not.toContain('\n');
  });

  test('YAML alias bombs are refused, not expanded', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'rules: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]'].join('\n');
    expect(error(bomb)).toMatch(/^\.lambda-adr-lint\.yml: /);
  });
});

describe('finding the config file', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-config-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('upward from the working directory, nearest first, not above the repository root', () => {
    const repo = path.join(root, 'repo');
    const nested = path.join(repo, 'infra', 'prod');
    fs.mkdirSync(nested, { recursive: true });
    fs.mkdirSync(path.join(repo, '.git'));
    // Above the repository root: never used.
    fs.writeFileSync(path.join(root, '.lambda-adr-lint.yml'), 'rules: {}\n');
    expect(findConfigFile(nested)).toEqual({});

    fs.writeFileSync(path.join(repo, '.lambda-adr-lint.yaml'), 'rules: {}\n');
    expect(findConfigFile(nested)).toEqual({ file: path.join(repo, '.lambda-adr-lint.yaml') });

    fs.writeFileSync(path.join(repo, 'infra', '.lambda-adr-lint.json'), '{}');
    expect(findConfigFile(nested)).toEqual({ file: path.join(repo, 'infra', '.lambda-adr-lint.json') });
  });

  test('two config files in one directory are an error', () => {
    fs.writeFileSync(path.join(root, '.lambda-adr-lint.yml'), '');
    fs.writeFileSync(path.join(root, '.lambda-adr-lint.json'), '{}');
    fs.mkdirSync(path.join(root, '.git'));
    expect(findConfigFile(root)).toEqual({ error: '.lambda-adr-lint.yml and .lambda-adr-lint.json: more than one config file in one directory; keep one' });
  });

  test('loadConfig: found upward and named relative to the working directory; --config; none', () => {
    fs.mkdirSync(path.join(root, '.git'));
    fs.mkdirSync(path.join(root, 'sub'));
    fs.writeFileSync(path.join(root, '.lambda-adr-lint.yml'), 'rules:\n  lambda-ruby-only:\n    level: nope\n');
    expect(loadConfig({ cwd: path.join(root, 'sub') })).toEqual({ ok: false, error: '../.lambda-adr-lint.yml: rules.lambda-ruby-only.level: must be one of error, warning, note, off' });

    fs.writeFileSync(path.join(root, 'sub', 'custom.yml'), 'rules:\n  lambda-ruby-only:\n    level: note\n');
    const given = loadConfig({ cwd: path.join(root, 'sub'), configPath: 'custom.yml' });
    expect(given.ok && given.config.ruleSettings).toEqual({ 'lambda-ruby-only': { level: 'note' } });

    expect(loadConfig({ cwd: root, configPath: 'missing.yml' })).toEqual({ ok: false, error: 'missing.yml: cannot read the config file (no such file)' });
    fs.rmSync(path.join(root, '.lambda-adr-lint.yml'));
    expect(loadConfig({ cwd: path.join(root, 'sub') })).toEqual({ ok: true, config: { ruleSettings: {}, exceptions: [] } });
  });
});

describe('the published schema', () => {
  test('is a valid draft-07 schema that ajv compiles in strict mode', () => {
    const ajv = new Ajv({ strict: true });
    expect(() => ajv.compile(CONFIG_SCHEMA)).not.toThrow();
  });

  test('lists every rule, with the suppression rule, and every rule for exceptions', () => {
    const schema = CONFIG_SCHEMA as { properties: { rules: { properties: object }; exceptions: { items: { properties: { rule: { enum: string[] } } } } } };
    const ids = allRules.map((r) => r.meta.id);
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual([...ids, SUPPRESSION_RULE_ID].sort());
    expect([...schema.properties.exceptions.items.properties.rule.enum].sort()).toEqual([...ids].sort());
  });

  test('a rule the schema does not list yet is accepted with a level', () => {
    const r = parseConfig('rules:\n  ecs-new-rule:\n    level: warning\n', { file: FILE, shown: 'c.yml', ruleIds: ['ecs-new-rule', 'lambda-ruby-only'] });
    expect(r.ok && r.config.ruleSettings).toEqual({ 'ecs-new-rule': { level: 'warning' } });
  });

  test('the options the schema allows are the options the rules read', () => {
    // Each rule module exports the reader of its option; the schema must name the same keys.
    const schema = CONFIG_SCHEMA as { properties: { rules: { properties: Record<string, { properties?: { options?: { properties?: object } } }> } } };
    const options = (id: string) => Object.keys(schema.properties.rules.properties[id].properties?.options?.properties ?? {});
    expect(options('lambda-ruby-only')).toEqual(['allowedRuntimes']);
    expect(options('lambda-outdated-runtime')).toEqual(['warningDays']);
    expect(options('lambda-no-datastore')).toEqual(['extraStoreTypes']);
    expect(options('lambda-no-http')).toEqual([]);
  });
});
