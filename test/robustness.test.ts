/**
 * Bad input, through the CLI in-process: each broken input gets one clear line naming its file,
 * no stack trace, exit code 2, and every other input is still linted. Odd but valid input (an
 * empty directory, a 5 MB file, names like `__proto__`, symlink loops) is linted normally.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli, type CliRun } from './helpers/run-cli';

const AS_OF = ['--as-of', '2026-11-27'];

interface Report {
  findings: { ruleId: string; address: string; location: { file: string; startLine: number } }[];
  diagnostics: { level: string; code: string; message: string; file?: string; line?: number }[];
}

/** The same good function in every case: its finding proves the other inputs were linted. */
const GOOD = [
  'resource "aws_lambda_function" "good" {',
  '  function_name = "good"',
  '  handler       = "app.handler"',
  '  runtime       = "python3.12"',
  '}',
  '',
].join('\n');

/** A stack frame as Node prints it (`    at fn (file.js:1:2)`), or Go's goroutine dump. */
const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$|^goroutine \d+|Error: .*\n\s+at /m;

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-robust-'));
  fs.mkdirSync(path.join(root, '.git')); // the config search stops here
  write('good/main.tf', GOOD);
});
afterAll(() => {
  try { fs.chmodSync(path.join(root, 'unreadable', 'main.tf'), 0o644); } catch { /* not made */ }
  fs.rmSync(root, { recursive: true, force: true });
});

function write(rel: string, content: string | Buffer): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

async function lintJson(...paths: string[]): Promise<CliRun & { report: Report }> {
  const run = await runCli([...paths, '--format', 'json', ...AS_OF], root);
  expect(run.stderr).toBe('');
  expect(run.stdout).not.toMatch(STACK_TRACE);
  return { ...run, report: JSON.parse(run.stdout) as Report };
}

/** The bad input is reported once, in one line naming it; the good function is still found.
 *  `given` is the path on the command line when it is not the bad file itself (its directory). */
async function expectReported(bad: string, message: RegExp, given = bad): Promise<Report> {
  const run = await lintJson(given, 'good');
  expect(run.code).toBe(2);
  const errors = run.report.diagnostics.filter((d) => d.level === 'error');
  expect(errors).toEqual([expect.objectContaining({ file: bad, message: expect.stringMatching(message) })]);
  expect(errors[0].message).not.toContain('\n');
  expect(run.report.findings.map((f) => f.address)).toContain('aws_lambda_function.good');

  // The text report shows it as one line that names the file.
  const text = await runCli([given, 'good', ...AS_OF], root);
  expect(text.code).toBe(2);
  expect(text.stderr).toBe('');
  expect(text.stdout).not.toMatch(STACK_TRACE);
  const line = text.stdout.split('\n').find((l) => l.includes(bad) && message.test(l));
  expect(line).toBeDefined();
  return run.report;
}

describe('bad input: a clear message, exit 2, the rest still linted', () => {
  test('binary data in a .tf file (with NUL bytes)', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    write('binary/main.tf', bytes);
    await expectReported('binary/main.tf', /binary data/);
  });

  test('binary data without NUL bytes (invalid UTF-8, control characters)', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = 1 + ((i * 7919 + 13) % 255);
    write('binary-no-nul/main.tf', bytes);
    await expectReported('binary-no-nul/main.tf', /HCL syntax error/);
  });

  test('invalid HCL', async () => {
    write('invalid-hcl/main.tf', 'resource "aws_lambda_function" "x" {\n  runtime = \n}\n');
    const report = await expectReported('invalid-hcl/main.tf', /HCL syntax error/);
    expect(report.diagnostics[0].line).toBe(2);
  });

  test('an unclosed block', async () => {
    write('unclosed/main.tf', 'resource "aws_lambda_function" "x" {\n  runtime = "ruby3.4"\n');
    await expectReported('unclosed/main.tf', /HCL syntax error/);
  });

  test('invalid JSON in a .tf.json file', async () => {
    write('invalid-json/main.tf.json', '{"resource": {"aws_lambda_function": {"x": {"runtime": "ruby3.4",,}}}}');
    await expectReported('invalid-json/main.tf.json', /invalid JSON/);
  });

  test('truncated JSON in a .tf.json file', async () => {
    write('truncated-json/main.tf.json', '{"resource": {"aws_lambda_function": {"x": {"runtime": "rub');
    await expectReported('truncated-json/main.tf.json', /invalid JSON/);
  });

  test('a .tf.json file that is not an object', async () => {
    write('json-array/main.tf.json', '[1, 2, 3]');
    await expectReported('json-array/main.tf.json', /object at the top level/);
  });

  test('a truncated plan', async () => {
    write('plans/truncated.json', '{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{"resources":[{"address":"aws_lambda_function.f"');
    await expectReported('plans/truncated.json', /truncated|invalid JSON/);
  });

  test('a plan file that is not JSON at all', async () => {
    write('plans/garbage.json', 'this is not json {');
    await expectReported('plans/garbage.json', /JSON/);
  });

  test('a state file passed as a plan', async () => {
    write('plans/terraform.tfstate.json', JSON.stringify({
      format_version: '1.0',
      terraform_version: '1.9.0',
      values: { root_module: { resources: [] } },
    }));
    await expectReported('plans/terraform.tfstate.json', /state/);
  });

  test('a raw terraform.tfstate passed as a plan', async () => {
    write('plans/raw.tfstate', JSON.stringify({ version: 4, terraform_version: '1.9.0', serial: 3, lineage: 'x', outputs: {}, resources: [] }));
    await expectReported('plans/raw.tfstate', /state/);
  });

  test('a path that does not exist', async () => {
    await expectReported('no/such/dir', /no such file or directory/);
  });

  test('an unreadable file (skipped when permissions do not stop this user, e.g. root in CI)', async () => {
    const file = write('unreadable/main.tf', GOOD.replace(/good/g, 'hidden'));
    fs.chmodSync(file, 0o000);
    let readable = true;
    try {
      fs.readFileSync(file);
    } catch {
      readable = false;
    }
    if (readable) {
      // chmod does not stop this user: the file is simply linted, which is all that can be checked.
      const run = await lintJson('unreadable', 'good');
      expect(run.report.findings.map((f) => f.address)).toEqual(expect.arrayContaining(['aws_lambda_function.hidden', 'aws_lambda_function.good']));
      console.warn('robustness: running as a user that can read a chmod 000 file (root?); the unreadable-file case was not exercised');
      return;
    }
    await expectReported('unreadable/main.tf', /cannot read file: EACCES/);
  });

  test('a plan whose JSON nests 10,000 levels deep (in the wrong place)', async () => {
    write('plans/deep-shape.json', `{"format_version":"1.2","terraform_version":"1.9.0","planned_values":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    await expectReported('plans/deep-shape.json', /malformed plan|nested/);
  });

  test('a .tf.json file nested 10,000 levels deep', async () => {
    write('deep-json/main.tf.json', `{"locals": {"x": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`);
    await expectReported('deep-json/main.tf.json', /nested more than \d+ levels deep/);
  });

  test('a .tf file nested 10,000 levels deep: refused before it can crash the parser, which keeps working', async () => {
    write('deep-hcl/main.tf', `resource "aws_lambda_function" "deep" {\n  runtime = "ruby3.4"\n  tags = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n}\n`);
    write('deep-hcl-parens/main.tf', `locals {\n  x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\n}\n`);
    write('deep-hcl-templates/main.tf', `locals {\n  x = ${'"${'.repeat(2_000)}1${'}"'.repeat(2_000)}\n}\n`);
    write('deep-hcl-unary/main.tf', `locals {\n  x = ${'!'.repeat(10_000)}true\n}\n`);
    // The good input comes after the deep ones: the HCL parser must still answer.
    await expectReported('deep-hcl/main.tf', /nested more than \d+ levels deep/);
    await expectReported('deep-hcl-parens/main.tf', /nested more than \d+ levels deep/);
    await expectReported('deep-hcl-templates/main.tf', /nested more than \d+ levels deep/);
    await expectReported('deep-hcl-unary/main.tf', /unary operators/);
  });

  test('a chain of 20,000 conditionals in one attribute', async () => {
    write('deep-conditional/main.tf', `locals {\n  x = ${'true ? 1 : '.repeat(20_000)}2\n}\n`);
    await expectReported('deep-conditional/main.tf', /conditionals/);
  });

  test('a module cycle', async () => {
    write('cycle/main.tf', 'module "a" {\n  source = "./a"\n}\n');
    write('cycle/a/main.tf', 'module "b" {\n  source = "../b"\n}\n');
    write('cycle/b/main.tf', 'module "a" {\n  source = "../a"\n}\n' + GOOD.replace(/good/g, 'in_cycle'));
    const run = await lintJson('cycle', 'good');
    expect(run.code).toBe(2);
    const errors = run.report.diagnostics.filter((d) => d.level === 'error');
    expect(errors).toEqual([expect.objectContaining({ code: 'module-cycle', file: 'cycle/b/main.tf', message: expect.stringMatching(/module cycle/) })]);
    expect(run.report.findings.map((f) => f.address)).toEqual(expect.arrayContaining(['module.a.module.b.aws_lambda_function.in_cycle', 'aws_lambda_function.good']));
  });

  test('a module cycle with no root outside it is still linted and reported, not skipped', async () => {
    write('cycle-only/a/main.tf', 'module "b" {\n  source = "../b"\n}\n');
    write('cycle-only/b/main.tf', 'module "a" {\n  source = "../a"\n}\n' + GOOD.replace(/good/g, 'in_cycle'));
    for (const scanned of ['cycle-only', 'cycle-only/a']) {
      const run = await lintJson(scanned, 'good');
      expect(run.code).toBe(2);
      expect(run.report.diagnostics).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'module-cycle', level: 'error' })]));
      expect(run.report.findings.map((f) => f.address)).toEqual(expect.arrayContaining(['module.b.aws_lambda_function.in_cycle', 'aws_lambda_function.good']));
    }
  });

  test('a missing module directory', async () => {
    write('missing-module/main.tf', 'module "gone" {\n  source = "./modules/gone"\n}\n');
    await expectReported('missing-module/main.tf', /module "gone".*does not exist/);
  });

  test('a dangling symlink named like a Terraform file', async () => {
    write('dangling/main.tf', GOOD.replace(/good/g, 'beside_link'));
    fs.symlinkSync(path.join(root, 'dangling', 'nowhere.tf'), path.join(root, 'dangling', 'broken.tf'));
    await expectReported('dangling/broken.tf', /cannot read file: ENOENT/, 'dangling');
  });

  test('a --var-file that does not parse', async () => {
    write('vars/bad.tfvars', 'region = [\n');
    const run = await runCli(['good', '--var-file', 'vars/bad.tfvars', '--format', 'json', ...AS_OF], root);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Report;
    expect(report.diagnostics).toEqual([expect.objectContaining({ level: 'error', file: 'vars/bad.tfvars' })]);
    expect(report.findings.map((f) => f.address)).toContain('aws_lambda_function.good');
  });
});

describe('odd but valid input is linted normally', () => {
  test('an empty directory: says nothing was found, exit 0', async () => {
    fs.mkdirSync(path.join(root, 'empty'), { recursive: true });
    const run = await lintJson('empty');
    expect(run.code).toBe(0);
    expect(run.report.findings).toEqual([]);
    expect(run.report.diagnostics).toEqual([expect.objectContaining({ level: 'note', message: expect.stringMatching(/no Terraform files or plans found/) })]);
    const text = await runCli(['empty', ...AS_OF], root);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/nothing was found/);
  });

  test('a directory of files Terraform ignores (dot files, editor backups) is an empty one', async () => {
    write('ignored/.hidden.tf', GOOD);
    write('ignored/main.tf~', GOOD);
    write('ignored/#main.tf#', GOOD);
    const run = await lintJson('ignored');
    expect(run.code).toBe(0);
    expect(run.report.findings).toEqual([]);
  });

  test('a 5 MB .tf file with many resources finishes quickly', async () => {
    const parts: string[] = [];
    let size = 0;
    let lambdas = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      let block = `resource "aws_sqs_queue" "q${i}" {\n  name                       = "queue-${i}"\n  visibility_timeout_seconds = 60\n  tags = { team = "platform", index = "${i}" }\n}\n\n`;
      if (i % 500 === 0) {
        lambdas++;
        block += `resource "aws_lambda_function" "f${i}" {\n  function_name = "f${i}"\n  handler       = "h.call"\n  runtime       = "ruby3.4"\n\n  environment {\n    variables = { QUEUE = aws_sqs_queue.q${i}.url }\n  }\n}\n\n`;
      }
      parts.push(block);
      size += block.length;
    }
    parts.push(GOOD.replace(/good/g, 'in_big_file'));
    write('big/main.tf', parts.join(''));
    const started = Date.now();
    const run = await lintJson('big', 'good');
    const seconds = (Date.now() - started) / 1000;
    expect(run.code).toBe(1);
    expect(run.report.diagnostics).toEqual([]);
    expect(run.report.findings.map((f) => f.address).sort()).toEqual(['aws_lambda_function.good', 'aws_lambda_function.in_big_file']);
    expect(lambdas).toBeGreaterThan(50);
    expect(seconds).toBeLessThan(60);
  }, 120_000);

  test('__proto__ and constructor as names in .tf.json, HCL, tfvars and plans: linted, nothing polluted', async () => {
    // Written by hand: JSON.stringify cannot write a literal __proto__ key.
    write('proto-json/main.tf.json', '{"__proto__": {"resource": {"aws_lambda_function": {"injected": {"runtime": "java21"}}}}, "constructor": {"x": 1},'
      + ' "resource": {"aws_lambda_function": {"__proto__": {"function_name": "p", "runtime": "python3.12"},'
      + ' "constructor": {"function_name": "c", "runtime": "nodejs22.x", "tags": {"__proto__": "t", "constructor": "u"}}}}}');
    write('proto-hcl/main.tf', [
      'variable "__proto__" {',
      '  default = { constructor = "python3.12" }',
      '}',
      'variable "constructor" {}',
      'locals {',
      '  hasOwnProperty = var.__proto__.constructor',
      '}',
      'resource "aws_lambda_function" "__proto__" {',
      '  function_name = var.constructor',
      '  runtime       = local.hasOwnProperty',
      '  environment {',
      '    variables = { __proto__ = "x", constructor = "y" }',
      '  }',
      '}',
      '',
    ].join('\n'));
    write('proto-hcl/terraform.tfvars', '__proto__ = { polluted = true }\nconstructor = "from-tfvars"\n');
    write('proto-hcl/extra.auto.tfvars.json', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    write('plans/proto.json', '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "format_version": "1.2", "terraform_version": "1.9.0",'
      + ' "planned_values": {"root_module": {"resources": [{"address": "aws_lambda_function.__proto__", "mode": "managed", "type": "aws_lambda_function", "name": "__proto__",'
      + ' "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": {"function_name": "pp", "runtime": "python3.12",'
      + ' "tags": {"__proto__": {"polluted": true}, "constructor": "c"}}, "sensitive_values": {}}]}}}');
    const run = await lintJson('proto-json', 'proto-hcl', 'plans/proto.json');
    expect(run.code).toBe(1);
    const ruby = run.report.findings.filter((f) => f.ruleId === 'lambda-ruby-only').map((f) => `${f.location.file} ${f.address}`).sort();
    expect(ruby).toEqual([
      'plans/proto.json aws_lambda_function.__proto__',
      'proto-hcl/main.tf aws_lambda_function.__proto__',
      'proto-json/main.tf.json aws_lambda_function.__proto__',
      'proto-json/main.tf.json aws_lambda_function.constructor',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  test('symlink loops in a scanned directory', async () => {
    write('loops/main.tf', GOOD.replace(/good/g, 'looped'));
    write('loops/sub/more.tf', '');
    fs.symlinkSync(path.join(root, 'loops'), path.join(root, 'loops', 'sub', 'back-to-top'));
    fs.symlinkSync(path.join(root, 'loops', 'sub'), path.join(root, 'loops', 'self'));
    fs.symlinkSync('.', path.join(root, 'loops', 'sub', 'dot'));
    const run = await lintJson('loops');
    expect(run.code).toBe(1);
    expect(run.report.diagnostics).toEqual([]);
    expect(run.report.findings.map((f) => f.address)).toEqual(['aws_lambda_function.looped']);
  });

  test('a symlinked .tf file is part of its module', async () => {
    write('shared/providers.tf', GOOD.replace(/good/g, 'shared'));
    write('linked/main.tf', '');
    fs.symlinkSync(path.join(root, 'shared', 'providers.tf'), path.join(root, 'linked', 'providers.tf'));
    const run = await lintJson('linked');
    expect(run.report.findings.map((f) => `${f.location.file} ${f.address}`)).toEqual(['linked/providers.tf aws_lambda_function.shared']);
  });

  test('a plan with values nested 10,000 levels deep is linted', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    write('plans/deep-values.json', '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [{"address": "aws_lambda_function.deep",'
      + ' "mode": "managed", "type": "aws_lambda_function", "name": "deep", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,'
      + ` "values": {"function_name": "deep", "runtime": "python3.12", "tags": ${deep}}, "sensitive_values": {}}]}}}`);
    const run = await lintJson('plans/deep-values.json', 'good');
    expect(run.code).toBeLessThanOrEqual(2);
    expect(run.report.findings.map((f) => f.address)).toContain('aws_lambda_function.good');
  });

  test('expressions nested 20,000 deep inside .tf.json strings: the resource is still linted', async () => {
    write('deep-expressions/main.tf.json', JSON.stringify({
      locals: { x: `\${${'('.repeat(20_000)}1${')'.repeat(20_000)}}` },
      resource: {
        aws_lambda_function: {
          deep: {
            function_name: 'deep',
            runtime: 'python3.12',
            tags: '${local.x}',
            description: `${'${"'.repeat(5_000)}x${'"}'.repeat(5_000)}`,
            handler: `\${${'!'.repeat(20_000)}true}`,
          },
        },
      },
    }));
    const run = await lintJson('deep-expressions', 'good');
    expect(run.code).toBe(1);
    expect(run.report.findings.map((f) => f.address).sort()).toEqual(['aws_lambda_function.deep', 'aws_lambda_function.good']);
  });

  test('roots of a monorepo that reuse the same addresses are not linked to each other', async () => {
    // Both roots declare aws_security_group.this and aws_db_instance.this; only "db-job" lets its
    // function reach its database. Linking by address across roots would flag "worker" too.
    const rootModule = (withIngress: boolean): string => [
      'resource "aws_security_group" "fn" {',
      '  name = "fn"',
      '}',
      'resource "aws_security_group" "db" {',
      '  name = "db"',
      ...(withIngress ? ['  ingress {', '    from_port       = 5432', '    to_port         = 5432', '    protocol        = "tcp"', '    security_groups = [aws_security_group.fn.id]', '  }'] : []),
      '}',
      'resource "aws_db_instance" "this" {',
      '  vpc_security_group_ids = [aws_security_group.db.id]',
      '}',
      'resource "aws_lambda_function" "job" {',
      '  function_name = "job"',
      '  handler       = "job.call"',
      '  runtime       = "ruby3.4"',
      '  vpc_config {',
      '    subnet_ids         = ["subnet-1"]',
      '    security_group_ids = [aws_security_group.fn.id]',
      '  }',
      '}',
      '',
    ].join('\n');
    write('monorepo/db-job/main.tf', rootModule(true));
    write('monorepo/worker/main.tf', rootModule(false));
    const run = await lintJson('monorepo');
    expect(run.report.findings.map((f) => `${f.ruleId} ${f.location.file}`)).toEqual(['lambda-no-datastore monorepo/db-job/main.tf']);
  });
});
