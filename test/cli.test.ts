/**
 * The command line end to end (in-process, through test/helpers/run-cli.ts): --config and the
 * upward search, --baseline and --write-baseline, --output, --fail-on, --as-of, bad flags and
 * missing paths, with their exit codes and messages; SARIF with suppressions stays valid.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './helpers/run-cli';
import { progressLine } from '../src/cli';
import { tree } from './helpers/tree';

// ajv-draft-04 is CommonJS with a default export; require keeps ts-jest's isolatedModules happy.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AjvDraft04 = require('ajv-draft-04');

const AS_OF = ['--as-of', '2026-11-27'];

function lambda(name: string, runtime: string, comment?: string): string {
  return [
    ...(comment ? [comment] : []),
    `resource "aws_lambda_function" "${name}" {`,
    `  function_name = "${name}"`,
    '  role          = "arn:aws:iam::123456789012:role/x"',
    `  filename      = "${name}.zip"`,
    '  handler       = "h.handler"',
    `  runtime       = "${runtime}"`,
    '}',
    '',
  ].join('\n');
}

let root: string;

/** A fresh repository (with `.git`, so the config search stops here) holding `files`. */
function repo(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(root, 'repo-'));
  fs.mkdirSync(path.join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-cli-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

interface JsonReport {
  summary: { error: number; warning: number; note: number; suppressed: number };
  findings: { ruleId: string; address: string; level: string; message: string; suppression?: { kind: string; justification: string; location?: { file: string; startLine: number } } }[];
  diagnostics: { level: string; message: string; file?: string }[];
}

describe('--config', () => {
  test('a given config file sets levels and options', async () => {
    const dir = repo({
      'main.tf': lambda('exporter', 'python3.12') + lambda('javaish', 'java21'),
      'conf/lint.yml': 'rules:\n  lambda-ruby-only:\n    level: warning\n    options:\n      allowedRuntimes: ["ruby*", "java21"]\n',
    });
    const plain = await runCli(['--format', 'json', ...AS_OF], dir);
    expect(plain.code).toBe(1);
    expect((JSON.parse(plain.stdout) as JsonReport).summary.error).toBe(2);

    const run = await runCli(['--format', 'json', '--config', 'conf/lint.yml', ...AS_OF], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => [f.ruleId, f.level, f.address])).toEqual([['lambda-ruby-only', 'warning', 'aws_lambda_function.exporter']]);
  });

  test('the config file is found upward from the working directory', async () => {
    const dir = repo({
      '.lambda-adr-lint.yml': 'exceptions:\n  - rule: lambda-ruby-only\n    address: "aws_lambda_function.*"\n    reason: agreed in ADR031\n',
      'infra/prod/main.tf': lambda('exporter', 'python3.12'),
    });
    const run = await runCli(['--format', 'json', ...AS_OF], path.join(dir, 'infra', 'prod'));
    expect(run.code).toBe(0);
    const [f] = (JSON.parse(run.stdout) as JsonReport).findings;
    // The config is outside the working directory, so the suppression carries no location there.
    expect(f.suppression).toEqual({ kind: 'external', justification: 'agreed in ADR031' });
  });

  test('an invalid config is one line on stderr, exit 2, and no report is written', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12'), '.lambda-adr-lint.yml': 'rules:\n  lambda-ruby-only:\n    level: fatal\n' });
    const run = await runCli(['--output', 'report.json', '--format', 'json', ...AS_OF], dir);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'lambda-adr-lint: .lambda-adr-lint.yml: rules.lambda-ruby-only.level: must be one of error, warning, note, off\n' });
    expect(fs.existsSync(path.join(dir, 'report.json'))).toBe(false);
  });

  test('a YAML syntax error names the line; a missing --config file is an error', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'ruby3.4'), 'bad.yml': 'rules:\n  x: y: z\n' });
    expect(await runCli(['--config', 'bad.yml', ...AS_OF], dir)).toEqual({ code: 2, stdout: '', stderr: 'lambda-adr-lint: bad.yml:2:6: Nested mappings are not allowed in compact mappings\n' });
    expect(await runCli(['--config', 'nope.yml', ...AS_OF], dir)).toEqual({ code: 2, stdout: '', stderr: 'lambda-adr-lint: nope.yml: cannot read the config file (no such file)\n' });
    expect((await runCli(['--config', '', ...AS_OF], dir)).code).toBe(2);
  });
});

describe('rules and explain', () => {
  test('`rules` shows the levels after the config', async () => {
    const dir = repo({ 'c.yml': 'rules:\n  lambda-ruby-only: { level: note }\n  lambda-no-http: { level: off }\n' });
    const plain = await runCli(['rules'], dir);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^lambda-ruby-only +error +/m);
    expect(plain.stdout).toMatch(/^lambda-adr-lint-suppression +warning +/m);
    expect(plain.stdout).not.toContain('Levels as configured');

    const configured = await runCli(['rules', '--config', 'c.yml'], dir);
    expect(configured.code).toBe(0);
    expect(configured.stdout).toMatch(/^lambda-ruby-only +note +Lambda functions must run Ruby$/m);
    expect(configured.stdout).toMatch(/^lambda-no-http +off +/m);
    expect(configured.stdout).toMatch(/^lambda-no-datastore +error +/m);
    expect(configured.stdout).toContain('\nLevels as configured in c.yml.\n');
  });

  test('`rules` with a broken config fails like a lint run', async () => {
    const dir = repo({ '.lambda-adr-lint.json': '{"rules": {"lambda-ruby": {}}}' });
    const run = await runCli(['rules'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^lambda-adr-lint: \.lambda-adr-lint\.json: rules\.lambda-ruby: unknown rule \(did you mean lambda-ruby-only\?\)/);
  });

  test('`explain` knows the suppression rule; an unknown rule is a usage error', async () => {
    const dir = repo({});
    const run = await runCli(['explain', 'lambda-adr-lint-suppression'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('lambda-adr-lint-suppression');
    expect((await runCli(['explain', 'lambda-nope'], dir)).code).toBe(2);
  });
});

describe('--write-baseline and --baseline', () => {
  test('write, then lint with it: findings are counted as suppressed and the run passes', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12') });
    const write = await runCli(['--write-baseline', 'baseline.json', ...AS_OF], dir);
    expect(write.code).toBe(1); // the exit code is as usual
    expect(write.stderr).toBe('lambda-adr-lint: wrote 1 finding to baseline baseline.json\n');
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'baseline.json'), 'utf8'));
    expect(written).toEqual({ version: 1, findings: [{ rule: 'lambda-ruby-only', address: 'aws_lambda_function.exporter', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) }] });

    const text = await runCli(['--baseline', 'baseline.json', ...AS_OF], dir);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe('lambda-adr-lint: baseline baseline.json: 1 finding baselined (counted as suppressed)\n');
    expect(text.stdout).toContain('no findings (1 suppressed)');

    const json = await runCli(['--baseline', 'baseline.json', '--format', 'json', ...AS_OF], dir);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.summary).toMatchObject({ error: 0, suppressed: 1 });
    expect(report.findings[0].suppression).toEqual({ kind: 'external', justification: 'in baseline baseline.json' });
  });

  test('a new violation fails the run; fixed ones are reported as entries that no longer match', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12') + lambda('reporter', 'python3.12') });
    await runCli(['--write-baseline', 'b.json', ...AS_OF], dir);
    fs.writeFileSync(path.join(dir, 'main.tf'), lambda('exporter', 'ruby3.4') + lambda('reporter', 'python3.12') + lambda('newcomer', 'python3.13'));
    const run = await runCli(['--baseline', 'b.json', '--format', 'json', ...AS_OF], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('lambda-adr-lint: baseline b.json: 1 finding baselined (counted as suppressed); 1 entry no longer matches any finding (rewrite it with --write-baseline to drop it)\n');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.filter((f) => !f.suppression).map((f) => f.address)).toEqual(['aws_lambda_function.newcomer']);

    // Rewriting the baseline in the same run records every current finding and drops the stale entry.
    const rewrite = await runCli(['--baseline', 'b.json', '--write-baseline', 'b.json', ...AS_OF], dir);
    expect(rewrite.stderr).toContain('wrote 2 findings to baseline b.json');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'b.json'), 'utf8')).findings.map((f: { address: string }) => f.address)).toEqual(['aws_lambda_function.newcomer', 'aws_lambda_function.reporter']);
    const after = await runCli(['--baseline', 'b.json', ...AS_OF], dir);
    expect(after.code).toBe(0);
    expect(after.stderr).toBe('lambda-adr-lint: baseline b.json: 2 findings baselined (counted as suppressed)\n');
  });

  test('suppressed findings are not written to a baseline', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12', '# lambda-adr-lint:ignore lambda-ruby-only reason="agreed"') + lambda('other', 'python3.12') });
    const run = await runCli(['--write-baseline', 'b.json', ...AS_OF], dir);
    expect(run.stderr).toBe('lambda-adr-lint: wrote 1 finding to baseline b.json\n');
  });

  test('a missing or invalid baseline is a clear error (exit 2), before anything is linted', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12'), 'bad.json': '{"version": 1, "findings": [{"rule": "x"}]}' });
    expect(await runCli(['--baseline', 'missing.json', ...AS_OF], dir)).toEqual({ code: 2, stdout: '', stderr: 'lambda-adr-lint: baseline missing.json: cannot read it: no such file (create it with --write-baseline)\n' });
    expect(await runCli(['--baseline', 'bad.json', ...AS_OF], dir)).toEqual({ code: 2, stdout: '', stderr: 'lambda-adr-lint: baseline bad.json: findings[0].address must be a string\n' });
  });

  test('a baseline that cannot be written is exit 2', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12') });
    const run = await runCli(['--write-baseline', 'no/such/dir/b.json', ...AS_OF], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`lambda-adr-lint: cannot write ${path.join(dir, 'no/such/dir/b.json')}: no such directory\n`);
  });
});

describe('suppressions and exit codes', () => {
  test('findings suppressed inline never fail the run; broken comments are warnings', async () => {
    const dir = repo({
      'main.tf': lambda('exporter', 'python3.12', '# lambda-adr-lint:ignore lambda-ruby-only reason="agreed"') + lambda('typo', 'ruby3.4', '# lambda-adr-lint:ignore lambda-ruby-olny reason="typo"'),
    });
    // The typo comment sits above a Ruby function with no finding, so its file is read only because of the exporter.
    const run = await runCli(['--format', 'json', ...AS_OF], dir);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary).toMatchObject({ error: 0, warning: 1, suppressed: 1 });
    expect(report.findings.find((f) => f.suppression)!.suppression).toEqual({
      kind: 'inSource',
      justification: 'agreed',
      location: { file: 'main.tf', startLine: 1, startColumn: 1, endLine: 1, endColumn: 58 },
    });
    expect((await runCli(['--fail-on', 'warning', ...AS_OF], dir)).code).toBe(1);
  });

  test('the suppression rule can be raised to error in the config', async () => {
    const dir = repo({
      'main.tf': lambda('exporter', 'python3.12', '# lambda-adr-lint:ignore lambda-ruby-only'),
      '.lambda-adr-lint.yml': 'rules:\n  lambda-adr-lint-suppression:\n    level: error\n  lambda-ruby-only:\n    level: note\n',
    });
    const run = await runCli(['--format', 'json', ...AS_OF], dir);
    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as JsonReport).findings.map((f) => [f.ruleId, f.level])).toEqual([
      ['lambda-adr-lint-suppression', 'error'],
      ['lambda-ruby-only', 'note'],
    ]);
  });

  test('an expired suppression brings the finding back and says so', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12', '# lambda-adr-lint:ignore lambda-ruby-only reason="until the rewrite" expires=2026-10-31') });
    const before = await runCli(['--as-of', '2026-10-31'], dir);
    expect(before.code).toBe(0);
    const after = await runCli(['--as-of', '2026-11-01'], dir);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain('The suppression at main.tf:1 expired on 2026-10-31 (reason: "until the rewrite").');
  });

  test('--fail-on never, warning, note', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12'), 'c.yml': 'rules:\n  lambda-ruby-only:\n    level: note\n' });
    expect((await runCli(['--fail-on', 'never', ...AS_OF], dir)).code).toBe(0);
    expect((await runCli(['--fail-on', 'error', ...AS_OF], dir)).code).toBe(1);
    expect((await runCli(['--config', 'c.yml', ...AS_OF], dir)).code).toBe(0);
    expect((await runCli(['--config', 'c.yml', '--fail-on', 'warning', ...AS_OF], dir)).code).toBe(0);
    expect((await runCli(['--config', 'c.yml', '--fail-on', 'note', ...AS_OF], dir)).code).toBe(1);
    expect((await runCli(['--fail-on', 'sometimes', ...AS_OF], dir)).code).toBe(2);
  });
});

describe('usage errors and inputs', () => {
  test('--as-of must be a real date', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'ruby3.4') });
    expect(await runCli(['--as-of', '2026-13-01'], dir)).toEqual({ code: 2, stdout: '', stderr: 'lambda-adr-lint: --as-of must be a date as YYYY-MM-DD, got "2026-13-01"\n' });
    expect((await runCli(['--as-of', 'tomorrow'], dir)).code).toBe(2);
  });

  test('an unknown flag is a usage error', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'ruby3.4') });
    const run = await runCli(['--baseline-file', 'x.json', ...AS_OF], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^lambda-adr-lint: Unknown argument.*baseline-file.*\(see --help\)\n$/);
  });

  test('a missing path is exit 2 while the other paths are still linted', async () => {
    const dir = repo({ 'good/main.tf': lambda('exporter', 'python3.12') });
    const run = await runCli(['good', 'missing', '--format', 'json', ...AS_OF], dir);
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => f.address)).toEqual(['aws_lambda_function.exporter']);
    expect(report.diagnostics).toEqual([expect.objectContaining({ level: 'error', message: 'no such file or directory: missing' })]);
  });

  test('--output writes the report to a file (atomically) and nothing to stdout', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12') });
    const run = await runCli(['--format', 'json', '--output', 'out/report.json', ...AS_OF], dir).catch((e) => e);
    // The directory does not exist: a clear error, and no partial or temporary file.
    expect(run).toEqual({ code: 2, stdout: '', stderr: `lambda-adr-lint: cannot write ${path.join(dir, 'out', 'report.json')}: no such directory\n` });
    expect(fs.readdirSync(dir).sort()).toEqual(['.git', 'main.tf']);

    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'out', 'report.json'), 'previous');
    const ok = await runCli(['--format', 'json', '--output', 'out/report.json', ...AS_OF], dir);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toBe('');
    expect((JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')) as JsonReport).summary.error).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['report.json']);
  });
});

describe('the other flags', () => {
  const withVar = 'variable "runtime" {\n  type = string\n}\n\n' + lambda('fn', 'RUNTIME').replace('"RUNTIME"', 'var.runtime');

  test('--var and --var-file give root variables values', async () => {
    const dir = repo({ 'main.tf': withVar, 'env/prod.tfvars': 'runtime = "python3.12"\n' });
    const unknown = JSON.parse((await runCli(['--format', 'json', ...AS_OF], dir)).stdout) as JsonReport;
    expect(unknown.findings.map((f) => [f.ruleId, f.level])).toEqual([['lambda-ruby-only', 'warning']]);
    expect((await runCli(['--var', 'runtime=ruby3.4', ...AS_OF], dir)).code).toBe(0);
    expect((await runCli(['--var', 'runtime=python3.12', ...AS_OF], dir)).code).toBe(1);
    expect((await runCli(['--var-file', 'env/prod.tfvars', ...AS_OF], dir)).code).toBe(1);
    expect((await runCli(['--var', 'runtime', ...AS_OF], dir))).toEqual({ code: 2, stdout: '', stderr: 'lambda-adr-lint: --var must be NAME=VALUE, got "runtime"\n' });
  });

  test('--source points plan findings at the .tf source', async () => {
    const basic = path.join(__dirname, '..', 'fixtures', 'plan', 'basic');
    const dir = repo({ 'plans/plan.json': fs.readFileSync(path.join(basic, 'plan.json'), 'utf8'), 'src/main.tf': fs.readFileSync(path.join(basic, 'main.tf'), 'utf8') });
    const run = await runCli(['plans/plan.json', '--source', 'src', '--format', 'json', ...AS_OF], dir);
    expect(run.code).toBe(1);
    const files = (JSON.parse(run.stdout) as { findings: { location: { file: string } }[] }).findings.map((f) => f.location.file);
    expect(new Set(files)).toEqual(new Set(['src/main.tf']));
  });

  test('every --format runs and keeps the exit code; --color forces colours; --help and --version', async () => {
    const dir = repo({ 'main.tf': lambda('exporter', 'python3.12') });
    for (const fmt of ['text', 'json', 'sarif', 'github', 'markdown']) {
      const run = await runCli(['--format', fmt, ...AS_OF], dir);
      expect({ fmt, code: run.code, empty: run.stdout.trim() === '' }).toEqual({ fmt, code: 1, empty: false });
    }
    expect((await runCli(['--format', 'xml', ...AS_OF], dir)).code).toBe(2);
    expect((await runCli(['--color', ...AS_OF], dir)).stdout).toContain('\u001b[');
    expect((await runCli(AS_OF, dir)).stdout).not.toContain('\u001b[');
    const help = await runCli(['--help'], dir);
    expect(help.code).toBe(0);
    for (const flag of ['--config', '--baseline', '--write-baseline']) expect(help.stdout).toContain(flag);
    expect((await runCli(['--version'], dir)).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('SARIF with suppressions', () => {
  function sarifValidator(): { (data: unknown): boolean; errors?: unknown[] | null } {
    const ajv = new AjvDraft04({ allErrors: true, strict: true, strictRequired: false });
    ajv.addFormat('uri', (s: string) => {
      try {
        new URL(s);
        return true;
      } catch {
        return false;
      }
    });
    ajv.addFormat('uri-reference', () => true);
    ajv.addFormat('date-time', () => true);
    return ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')));
  }

  test('inline, config and baseline suppressions and the suppression rule are valid SARIF', async () => {
    const dir = repo({
      'main.tf': lambda('inline', 'python3.12', '# lambda-adr-lint:ignore lambda-ruby-only reason="agreed"') + lambda('excepted', 'python3.12') + lambda('baselined', 'python3.12') + lambda('broken', 'python3.12', '# lambda-adr-lint:ignore lambda-ruby-only'),
      '.lambda-adr-lint.yml': 'exceptions:\n  - rule: lambda-ruby-only\n    address: aws_lambda_function.excepted\n    reason: config says so\n',
      'b.json': '{"version": 1, "findings": [{"rule": "lambda-ruby-only", "address": "aws_lambda_function.baselined", "fingerprint": "changed"}]}',
    });
    const run = await runCli(['--format', 'sarif', '--baseline', 'b.json', ...AS_OF], dir);
    expect(run.code).toBe(1);
    const log = JSON.parse(run.stdout);
    const validate = sarifValidator();
    expect({ valid: validate(log), errors: validate.errors }).toEqual({ valid: true, errors: null });
    const results = log.runs[0].results as { ruleId: string; suppressions?: { kind: string; justification: string }[]; locations: { logicalLocations: { fullyQualifiedName: string }[] }[] }[];
    const byAddress = (a: string) => results.filter((r) => r.locations[0].logicalLocations[0].fullyQualifiedName === a);
    expect(byAddress('aws_lambda_function.inline')[0].suppressions).toEqual([{ kind: 'inSource', justification: 'agreed' }]);
    expect(byAddress('aws_lambda_function.excepted')[0].suppressions).toEqual([{ kind: 'external', justification: 'config says so' }]);
    expect(byAddress('aws_lambda_function.baselined')[0].suppressions).toEqual([{ kind: 'external', justification: 'in baseline b.json' }]);
    const broken = byAddress('aws_lambda_function.broken');
    expect(broken.map((r) => [r.ruleId, !!r.suppressions])).toEqual([['lambda-adr-lint-suppression', false], ['lambda-ruby-only', false]]);
    expect(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toContain('lambda-adr-lint-suppression');
  });
});

describe('progress on a terminal', () => {
  test('silent for the first half second, then one redrawn line, cleared at the end', () => {
    let t = 0;
    let err = '';
    const p = progressLine({ stderr: (s: string) => { err += s; } }, () => t);
    p.update(1, 100);
    expect(err).toBe('');
    t = 600;
    p.update(50, 100);
    t = 650;
    p.update(51, 100); // too soon after the last redraw
    t = 800;
    p.update(100, 100);
    p.done();
    expect(err).toBe('\rlambda-adr-lint: parsed 50/100 files\rlambda-adr-lint: parsed 100/100 files\r\x1b[K');
  });

  test('nothing is written when the run is quick', () => {
    let err = '';
    const p = progressLine({ stderr: (s: string) => { err += s; } }, () => 0);
    p.update(10, 10);
    p.done();
    expect(err).toBe('');
  });
});

describe('findings QA found wrong once', () => {
  async function findingsOf(files: Record<string, string>, args: string[] = []) {
    const dir = tree(files, 'lal-qa-');
    const run = await runCli(['.', '--format', 'json', '--as-of', '2026-11-27', ...args], dir);
    return { dir, run, report: JSON.parse(run.stdout) as { findings: { ruleId: string; level: string; address: string; fingerprint: string; location: { file: string; startLine: number } }[] } };
  }

  test('a runtime from a heredoc with its newline is an unknown identifier, not "not Ruby"', async () => {
    const { report } = await findingsOf({ 'main.tf': 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n  runtime = <<EOT\nruby3.4\nEOT\n}\n' });
    expect(report.findings.map((f) => `${f.ruleId} ${f.level}`)).toEqual(['lambda-outdated-runtime warning']);
  });

  test('an unknown value passed into a module is reported at the module call, like a known one', async () => {
    const { report } = await findingsOf({
      'main.tf': 'variable "job_runtime" {}\nmodule "job" {\n  source  = "./modules/job"\n  runtime = var.job_runtime\n}\n',
      'modules/job/main.tf': 'variable "runtime" {}\nresource "aws_lambda_function" "this" {\n  function_name = "job"\n  runtime       = var.runtime\n}\n',
    });
    expect(report.findings.map((f) => `${f.ruleId} ${f.level} ${f.location.file}:${f.location.startLine}`)).toEqual(['lambda-ruby-only warning main.tf:4']);
  });

  test('the same address in two roots has two fingerprints', async () => {
    const module = 'variable "runtime" {}\nresource "aws_lambda_function" "this" {\n  function_name = "w"\n  runtime       = var.runtime\n}\n';
    const call = 'module "worker" {\n  source  = "../../modules/worker"\n  runtime = "python3.12"\n}\n';
    const { report } = await findingsOf({ 'modules/worker/main.tf': module, 'envs/prod/main.tf': call, 'envs/staging/main.tf': call });
    const prints = report.findings.filter((f) => f.ruleId === 'lambda-ruby-only').map((f) => f.fingerprint);
    expect(prints).toHaveLength(2);
    expect(new Set(prints).size).toBe(2);
  });
});

describe('links QA found missing once', () => {
  async function messagesOf(files: Record<string, string>, cwdOutside = false) {
    const dir = tree(files, 'lal-qa2-');
    const run = await runCli([cwdOutside ? dir : '.', '--format', 'json', '--as-of', '2026-11-27'], cwdOutside ? path.dirname(dir) : dir);
    return (JSON.parse(run.stdout) as { findings: { ruleId: string; message: string }[] }).findings.map((f) => `${f.ruleId}: ${f.message}`);
  }

  test('file("${path.module}/…") is read whatever directory the linter runs from', async () => {
    const spec = '{"x-amazon-apigateway-integration":{"uri":"arn:aws:apigateway:eu-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-2:1:function:forms-index/invocations"}}';
    const files = {
      'infra/main.tf': 'resource "aws_lambda_function" "f" {\n  function_name = "forms-index"\n  runtime = "ruby3.4"\n}\nmodule "api" {\n  source = "./api"\n}\n',
      'infra/api/main.tf': 'resource "aws_api_gateway_rest_api" "a" {\n  name = "a"\n  body = file("${path.module}/openapi.json")\n}\n',
      'infra/api/openapi.json': spec,
    };
    const fromParent = await messagesOf(files, true);
    expect(fromParent.join('\n')).toContain('module.api.aws_api_gateway_rest_api.a');
    expect(await messagesOf(files)).toEqual(fromParent);
  });

  test('a function wearing a store\'s own security groups, and a policy naming its role literally', async () => {
    const [finding] = await messagesOf({
      'main.tf': `data "aws_db_instance" "legacy" {\n  db_instance_identifier = "legacy"\n}
resource "aws_iam_role" "job" {\n  name = "forms-job"\n}
resource "aws_iam_role_policy" "p" {\n  role   = "forms-job"\n  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["rds-db:connect"], Resource = "*" }] })\n}
resource "aws_lambda_function" "f" {
  function_name = "f"
  runtime       = "ruby3.4"
  role          = aws_iam_role.job.arn
  vpc_config {
    subnet_ids         = ["subnet-1"]
    security_group_ids = data.aws_db_instance.legacy.vpc_security_groups
  }
}
`,
    });
    expect(finding).toContain('shares security group data.aws_db_instance.legacy.vpc_security_groups');
    expect(finding).toContain('rds-db:connect (aws_iam_role_policy.p)');
  });
});
