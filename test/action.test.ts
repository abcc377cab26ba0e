/**
 * The GitHub Action as GitHub runs it: the bundle copied alone into a temp directory (no
 * node_modules anywhere above it), started with `node dist/index.js` and the environment a runner
 * gives an action — INPUT_<NAME> variables (upper-cased, dashes kept), GITHUB_WORKSPACE,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Also: the committed dist/ is what the source builds
 * to, byte for byte, and the build is deterministic.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { sourceBaseUrl, splitPaths } from '../src/action';

const ROOT = path.resolve(__dirname, '..');
const COMMITTED_DIST = path.join(ROOT, 'dist');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

let tmp: string;
/** A fresh build of the current source, in a directory of its own. */
let freshDist: string;
/** A second build right after the first, to show the build is deterministic. */
let againDist: string;

function build(outDir: string): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-action.js'), outDir], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-action failed (${r.status}): ${r.stderr}`);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
    .sort();
}

/** Names and modification times of what the bundle is built from. */
function sourceStamp(): string {
  return ['src', 'rules', 'schemas', 'package.json']
    .flatMap((p) => (fs.statSync(path.join(ROOT, p)).isDirectory() ? filesUnder(path.join(ROOT, p)).map((f) => path.join(p, f)) : [p]))
    .map((f) => `${f}@${fs.statSync(path.join(ROOT, f)).mtimeMs}`)
    .join('\n');
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-adr-lint-action-'));
  freshDist = path.join(tmp, 'build', 'dist');
  againDist = path.join(tmp, 'build-again', 'dist');
  // Back to back, and again if the source changed in between (an edit is not nondeterminism).
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = sourceStamp();
    build(freshDist);
    build(againDist);
    if (sourceStamp() === before) break;
  }
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly summary: string;
  readonly workspace: string;
}

let runCount = 0;

const SHA = '0123456789abcdef0123456789abcdef01234567';

/**
 * Runs the bundle like a runner does. `fixtures` maps workspace subdirectories ('' = the root) to
 * fixture directories copied there; `files` adds files to the workspace; `inputs` are the step's
 * `with:` values (defaults as action.yml).
 */
function runAction(fixtures: Record<string, string>, inputs: Record<string, string>, files: Record<string, string> = {}): Run {
  const dir = path.join(tmp, `run-${++runCount}`);
  const action = path.join(dir, 'action');
  fs.cpSync(freshDist, path.join(action, 'dist'), { recursive: true });
  const workspace = path.join(dir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  for (const [sub, fixture] of Object.entries(fixtures)) {
    fs.cpSync(path.join(ROOT, 'fixtures', fixture), path.join(workspace, sub), { recursive: true });
  }
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    fs.writeFileSync(path.join(workspace, name), text);
  }
  // The repository root: the config file search stops here, as on a runner.
  fs.mkdirSync(path.join(workspace, '.git'));
  const outputFile = path.join(dir, 'github_output');
  const summaryFile = path.join(dir, 'step_summary');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');

  const withDefaults: Record<string, string> = { path: '.', plan: '', 'sarif-file': 'lambda-adr-lint.sarif', 'fail-on': 'error', config: '', ...inputs };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SHA: SHA,
  };
  for (const [k, v] of Object.entries(withDefaults)) env[`INPUT_${k.toUpperCase()}`] = v;

  // A runner starts the action with the workspace as working directory.
  const r = spawnSync(process.execPath, [path.join(action, 'dist', 'index.js')], { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.readFileSync(summaryFile, 'utf8'),
    workspace,
  };
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<delimiter`, value lines, `delimiter`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

interface Annotation {
  readonly command: string;
  readonly props: Record<string, string>;
  readonly message: string;
}

function annotations(stdout: string): Annotation[] {
  const out: Annotation[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const props: Record<string, string> = {};
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = kv.indexOf('=');
      props[kv.slice(0, eq)] = decodeURIComponent(kv.slice(eq + 1));
    }
    out.push({ command: m[1], props, message: m[3] });
  }
  return out;
}

const findingAnnotations = (r: Run): Annotation[] => annotations(r.stdout).filter((a) => /^(lambda|ecs)-/.test(a.props.title ?? ''));

describe('the bundle', () => {
  test('runs with no node_modules anywhere above it', () => {
    for (let dir = tmp; ; dir = path.dirname(dir)) {
      expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
      if (path.dirname(dir) === dir) break;
    }
    expect(filesUnder(freshDist)).toEqual(expect.arrayContaining(['index.js', 'main.wasm.gz', 'tree-sitter.wasm', 'tree-sitter-hcl.wasm', 'package.json', 'modules/terraform-aws-modules-lambda.tf.json']));
    expect(JSON.parse(fs.readFileSync(path.join(freshDist, 'package.json'), 'utf8'))).toMatchObject({ name: PKG.name, version: PKG.version });
  });

  test('lints a directory: annotations, outputs, job summary, SARIF, failure on fail-on error', () => {
    const r = runAction({ '': 'runtime/literal-python' }, { 'fail-on': 'error', 'sarif-file': 'reports/out.sarif' });
    expect(r.status).toBe(1);

    const ruby = findingAnnotations(r).find((a) => a.props.title === 'lambda-ruby-only');
    expect(ruby).toMatchObject({ command: 'error', props: { file: 'main.tf', line: '28', endLine: '28' } });
    expect(r.stdout).toMatch(/^::error title=lambda-ruby-only,file=main\.tf,line=28,/m);
    expect(ruby!.message).toContain('aws_lambda_function.submission_exporter');
    expect(r.stdout).toMatch(/^::error::lambda-adr-lint: \d+ finding\(s\) at or above fail-on "error"$/m);

    const sarifFile = path.join(r.workspace, 'reports', 'out.sarif');
    expect(r.outputs['sarif-file']).toBe(sarifFile);
    const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'lambda-adr-lint', version: PKG.version });
    expect(run.results.length).toBeGreaterThanOrEqual(1);
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'lambda-ruby-only');
    expect(result.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'main.tf' }, region: { startLine: 28 } });

    const open = run.results.filter((x: { suppressions?: unknown[] }) => !x.suppressions?.length).length;
    expect(r.outputs.findings).toBe(String(open));
    expect(findingAnnotations(r)).toHaveLength(open);

    // The job summary is src/report/markdown.ts's: findings by rule linked to the rule pages, and
    // file links to the commit being checked.
    expect(r.summary).toMatch(/^## lambda-adr-lint$/m);
    expect(r.summary).toContain('### Findings by rule');
    expect(r.summary).toMatch(/^\| \[`lambda-ruby-only`\]\(https:\/\/\S+\/lambda-ruby-only\.md\) \| error \| 1 \|$/m);
    expect(r.summary).toContain(`(https://github.com/acme/infra/blob/${SHA}/main.tf#L28)`);
    expect(r.summary).toContain(`lambda-adr-lint ${PKG.version}`);
  });

  test('fail-on never reports the same findings and passes', () => {
    const r = runAction({ '': 'runtime/literal-python' }, { 'fail-on': 'never' });
    expect(r.status).toBe(0);
    expect(Number(r.outputs.findings)).toBeGreaterThanOrEqual(1);
    expect(findingAnnotations(r).some((a) => a.props.title === 'lambda-ruby-only')).toBe(true);
    expect(r.stdout).not.toMatch(/^::error::/m);
    expect(r.outputs['sarif-file']).toBe(path.join(r.workspace, 'lambda-adr-lint.sarif'));
    expect(fs.existsSync(path.join(r.workspace, 'lambda-adr-lint.sarif'))).toBe(true);
    expect(r.summary).toContain('### Findings by rule');
  });

  test('several paths, one a line; a clean directory adds nothing', () => {
    const r = runAction({ app: 'runtime/literal-python', other: 'runtime/near-misses' }, { path: 'app\nother\n', 'fail-on': 'never' });
    expect(r.status).toBe(0);
    const files = new Set(findingAnnotations(r).map((a) => a.props.file));
    expect(files).toEqual(new Set(['app/main.tf']));
  });

  test('lints a plan and points findings at its .tf source', () => {
    const r = runAction({ infra: 'plan/basic' }, { plan: 'infra/plan.json', 'fail-on': 'error' });
    expect(r.status).toBe(1);
    const byRule = new Map(findingAnnotations(r).map((a) => [a.props.title, a]));
    expect(byRule.get('lambda-ruby-only')?.props.file).toBe('infra/main.tf');
    expect(r.outputs.findings).toBe(String(findingAnnotations(r).length));
    const sarif = JSON.parse(fs.readFileSync(r.outputs['sarif-file'], 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('lambda-ruby-only');
  });

  test('a bad fail-on fails the step with one clear line and lints nothing', () => {
    const r = runAction({ '': 'runtime/literal-python' }, { 'fail-on': 'sometimes' });
    expect(r.status).toBe(1);
    expect(r.stdout.trim()).toBe('::error::fail-on must be one of error, warning, note, never; got "sometimes"');
    expect(r.outputs).toEqual({});
    expect(fs.existsSync(path.join(r.workspace, 'lambda-adr-lint.sarif'))).toBe(false);
  });

  test('a missing path fails the step with one clear line', () => {
    const r = runAction({ '': 'runtime/literal-python' }, { path: 'terraform' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::path: "terraform" does not exist in the workspace \(.+\)$/m);
    expect(r.outputs).toEqual({});
  });

  test('the config file named by `config` applies: an exception suppresses the finding', () => {
    const config = [
      'exceptions:',
      '  - rule: lambda-ruby-only',
      '    address: aws_lambda_function.submission_exporter',
      '    reason: ported to Ruby in FORMS-42',
      '',
    ].join('\n');
    const r = runAction({ '': 'runtime/literal-python' }, { config: 'ci/lint.yml', 'fail-on': 'error' }, { 'ci/lint.yml': config });
    expect(findingAnnotations(r).some((a) => a.props.title === 'lambda-ruby-only')).toBe(false);
    const sarif = JSON.parse(fs.readFileSync(r.outputs['sarif-file'], 'utf8'));
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'lambda-ruby-only');
    expect(result.suppressions[0]).toMatchObject({ kind: 'external', justification: 'ported to Ruby in FORMS-42' });
    const open = sarif.runs[0].results.filter((x: { suppressions?: unknown[] }) => !x.suppressions?.length).length;
    expect(r.outputs.findings).toBe(String(open));
    expect(r.status).toBe(open > 0 ? 1 : 0);
    expect(r.summary).toContain('suppressed');
  });

  test('without `config`, the .lambda-adr-lint.yml in the workspace applies (as for the CLI)', () => {
    const r = runAction({ '': 'runtime/literal-python' }, { 'fail-on': 'error' }, { '.lambda-adr-lint.yml': 'rules:\n  lambda-ruby-only:\n    level: note\n' });
    const ruby = findingAnnotations(r).find((a) => a.props.title === 'lambda-ruby-only');
    expect(ruby?.command).toBe('notice');
  });

  test('a bad config file fails the step with its one-line error', () => {
    const r = runAction({ '': 'runtime/literal-python' }, { config: 'lint.yml' }, { 'lint.yml': 'rules:\n  lambda-ruby-only:\n    level: loud\n' });
    expect(r.status).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::lint\.yml: .*rules\.lambda-ruby-only\.level/);
    expect(r.outputs).toEqual({});
  });

  test('a config that does not exist fails the step with one clear line', () => {
    const r = runAction({ '': 'runtime/literal-python' }, { config: '.lambda-adr-lint.yml' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::config: "\.lambda-adr-lint\.yml" does not exist in the workspace \(.+\)$/m);
  });

  test('an unreadable input fails the step even with fail-on never (as the CLI exit code 2)', () => {
    const r = runAction({ '': 'runtime/syntax-error' }, { 'fail-on': 'never' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::lambda-adr-lint could not read /m);
    expect(fs.existsSync(r.outputs['sarif-file'])).toBe(true);
  });
});

describe('dist/', () => {
  test('the build is deterministic', () => {
    expect(filesUnder(againDist)).toEqual(filesUnder(freshDist));
    for (const f of filesUnder(freshDist)) {
      expect({ f, same: fs.readFileSync(path.join(againDist, f)).equals(fs.readFileSync(path.join(freshDist, f))) }).toEqual({ f, same: true });
    }
  });

  test('the committed dist/ is up to date with the source (run `npm run build:action`)', () => {
    expect(filesUnder(COMMITTED_DIST)).toEqual(filesUnder(freshDist));
    for (const f of filesUnder(freshDist)) {
      expect({ f, same: fs.readFileSync(path.join(COMMITTED_DIST, f)).equals(fs.readFileSync(path.join(freshDist, f))) }).toEqual({ f, same: true });
    }
  });
});

describe('action.yml', () => {
  const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));

  test('runs the committed bundle on node20', () => {
    expect(action.runs).toEqual({ using: 'node20', main: 'dist/index.js' });
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
    for (const k of ['name', 'description', 'author']) expect(typeof action[k]).toBe('string');
  });

  test('declares the inputs and outputs, each described', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(['config', 'fail-on', 'path', 'plan', 'sarif-file']);
    expect(action.inputs.path.default).toBe('.');
    expect(action.inputs['sarif-file'].default).toBe('lambda-adr-lint.sarif');
    expect(action.inputs['fail-on'].default).toBe('error');
    expect(Object.keys(action.outputs).sort()).toEqual(['findings', 'sarif-file']);
    for (const io of [...Object.values(action.inputs), ...Object.values(action.outputs)] as { description?: string }[]) {
      expect(io.description?.length).toBeGreaterThan(10);
    }
  });
});

describe('helpers', () => {
  test('splitPaths: one a line, or separated by spaces on one line', () => {
    expect(splitPaths('')).toEqual([]);
    expect(splitPaths('.')).toEqual(['.']);
    expect(splitPaths('infra  apps/web')).toEqual(['infra', 'apps/web']);
    expect(splitPaths('infra\n  my dir \n\n')).toEqual(['infra', 'my dir']);
  });

  test('sourceBaseUrl: the commit being checked, when GitHub says which', () => {
    expect(sourceBaseUrl({ GITHUB_SERVER_URL: 'https://github.com/', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: SHA })).toBe(`https://github.com/o/r/blob/${SHA}/`);
    expect(sourceBaseUrl({ GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: SHA })).toBeUndefined();
    expect(sourceBaseUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'main' })).toBeUndefined();
  });
});
