/**
 * The GitHub Action: reads the step's inputs, runs the same lint API and exit-code logic as the
 * CLI, and hands GitHub what it shows — annotations on the diff, a job summary, a SARIF file for
 * `github/codeql-action/upload-sarif` and the step outputs. Bundled into dist/index.js (see
 * scripts/build-action.js), so everything here must work without node_modules.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as core from '@actions/core';
import { storeTypes } from '../rules/lambda-no-datastore';
import { exitCode, todayUtc, type FailOn } from './cli';
import { lint, type LintOptions } from './lint';
import type { Diagnostic } from './model/model';
import { loadConfig, type LintConfig } from './config/load';
import { format } from './report/index';
import { cleanRegion, placeAll, relativeToCwd, type PlacedFinding } from './report/paths';
import type { LintResult } from './report/result';
import { LEVEL_RANK, type Level } from './rule';
import { DOCS_BASE_URL, TOOL_VERSION } from './version';

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'note', 'never'];

/** What the step was asked to do, checked and resolved against the workspace. */
export interface ActionInputs {
  readonly workspace: string;
  /** Directories and `.tf` files, relative to the workspace. */
  readonly paths: readonly string[];
  /** Plan JSON files, relative to the workspace. */
  readonly plans: readonly string[];
  /** Absolute path of the SARIF file to write. */
  readonly sarifFile: string;
  readonly failOn: FailOn;
  /** The `config` input as given (relative to the workspace); without it the config file is searched for. */
  readonly config?: string;
}

/**
 * Splits a multi-path input: one path a line, or (on a single line) separated by spaces. Paths
 * with spaces therefore need the one-a-line form.
 */
export function splitPaths(input: string): string[] {
  const text = String(input ?? '').trim();
  if (text === '') return [];
  const parts = text.includes('\n') ? text.split(/\r?\n/) : text.split(/\s+/);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Reads and checks the inputs (from the environment, as @actions/core does); a problem comes back as one line for `core.setFailed`. */
export function readInputs(): ActionInputs | { error: string } {
  const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  if (!isDirectory(workspace)) return { error: `GITHUB_WORKSPACE is not a directory: ${workspace}` };

  const failOn = core.getInput('fail-on').trim() || 'error';
  if (!(FAIL_ON as readonly string[]).includes(failOn)) {
    return { error: `fail-on must be one of ${FAIL_ON.join(', ')}; got "${failOn}"` };
  }

  const paths = splitPaths(core.getInput('path'));
  const plans = splitPaths(core.getInput('plan'));
  for (const [input, list] of [['path', paths], ['plan', plans]] as const) {
    for (const p of list) {
      if (!fs.existsSync(path.resolve(workspace, p))) return { error: `${input}: "${p}" does not exist in the workspace (${workspace})` };
    }
  }
  for (const p of plans) {
    if (isDirectory(path.resolve(workspace, p))) return { error: `plan: "${p}" is a directory; give the JSON file written by \`terraform show -json\`` };
  }

  const sarifInput = core.getInput('sarif-file').trim() || 'lambda-adr-lint.sarif';
  const sarifFile = path.resolve(workspace, sarifInput);
  if (isDirectory(sarifFile)) return { error: `sarif-file: "${sarifInput}" is a directory; give a file name` };

  const config = core.getInput('config').trim();
  if (config && !fs.existsSync(path.resolve(workspace, config))) return { error: `config: "${config}" does not exist in the workspace (${workspace})` };

  return { workspace, paths: paths.length ? paths : ['.'], plans, sarifFile, failOn: failOn as FailOn, ...(config ? { config } : {}) };
}

/**
 * The lint call. With plans, the plans are what is linted (linting their directory as well would
 * report every resource twice); `path` then names the plan's `.tf` source when it is one
 * directory other than the workspace root, else each plan's own directory is used.
 */
export function lintOptions(inputs: ActionInputs, asOf: string, config: LintConfig): LintOptions {
  const base = { cwd: inputs.workspace, asOf, ruleSettings: config.ruleSettings, exceptions: config.exceptions };
  if (inputs.plans.length === 0) return { ...base, paths: inputs.paths };
  const [only] = inputs.paths;
  const sourceDir = inputs.paths.length === 1 && path.resolve(inputs.workspace, only) !== inputs.workspace
    && isDirectory(path.resolve(inputs.workspace, only)) ? only : undefined;
  return { ...base, paths: inputs.plans, ...(sourceDir ? { sourceDir } : {}) };
}

export async function runAction(): Promise<void> {
  const env = process.env;
  try {
    const inputs = readInputs();
    if ('error' in inputs) {
      core.setFailed(inputs.error);
      return;
    }

    // As the CLI: the `config` file, or the nearest .lambda-adr-lint.yml/.yaml/.json upward from
    // the workspace; a bad one stops the step with its one-line error.
    const config = loadConfig({ cwd: inputs.workspace, configPath: inputs.config });
    if (!config.ok) {
      core.setFailed(config.error);
      return;
    }
    if (config.config.file) core.info(`lambda-adr-lint: config ${path.relative(inputs.workspace, config.config.file) || config.config.file}`);

    const result = await lint(lintOptions(inputs, todayUtc(), config.config));

    const sarif = format(result, 'sarif', {
      color: false,
      docsBaseUrl: DOCS_BASE_URL,
      toolVersion: TOOL_VERSION,
      readLines: result.lines,
    });
    const written = writeSarif(inputs.sarifFile, sarif);
    if (written) {
      core.setFailed(written);
      return;
    }
    annotate(result);

    const open = result.findings.filter((f) => !f.suppression);
    core.setOutput('sarif-file', inputs.sarifFile);
    core.setOutput('findings', String(open.length));
    core.info(`lambda-adr-lint ${TOOL_VERSION}: ${open.length} finding(s) in ${result.filesScanned} file(s); SARIF written to ${inputs.sarifFile}`);

    await writeSummary(format(result, 'markdown', {
      color: false,
      docsBaseUrl: DOCS_BASE_URL,
      toolVersion: TOOL_VERSION,
      sourceBaseUrl: sourceBaseUrl(env),
      readLines: result.lines,
      graph: result.graph,
      storeTypes: storeTypes(config.config.ruleSettings['lambda-no-datastore']?.options ?? {}),
    }), env);

    const code = exitCode(result, inputs.failOn);

    if (code === 2) {
      const errors = result.diagnostics.filter((d) => d.level === 'error');
      core.setFailed(`lambda-adr-lint could not read ${errors.length === 1 ? 'an input' : `${errors.length} inputs`}: ${errors[0]?.message ?? 'unknown error'}`);
    } else if (code === 1) {
      const failing = countAtOrAbove(result, inputs.failOn);
      core.setFailed(`lambda-adr-lint: ${failing} finding(s) at or above fail-on "${inputs.failOn}"`);
    }
  } catch (e) {
    core.setFailed(`lambda-adr-lint: internal error: ${(e as Error)?.message ?? String(e)}`);
  }
}

/** Writes the SARIF file (creating its directory); a failure comes back as one line. */
function writeSarif(file: string, text: string): string | undefined {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return undefined;
  } catch (e) {
    return `sarif-file: cannot write ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

// --- annotations -----------------------------------------------------------------------------

const ANNOTATE: Record<Level, (message: string, props: core.AnnotationProperties) => void> = {
  error: (m, p) => core.error(m, p),
  warning: (m, p) => core.warning(m, p),
  note: (m, p) => core.notice(m, p),
};

/** One annotation per unsuppressed finding and per input problem, paths relative to the workspace. */
function annotate(result: LintResult): void {
  for (const d of result.diagnostics) (ANNOTATE[d.level] ?? ANNOTATE.warning)(d.message, diagnosticProps(result.cwd, d));
  for (const p of placeAll(result.cwd, result.findings)) {
    if (p.finding.suppression) continue;
    (ANNOTATE[p.finding.level] ?? ANNOTATE.warning)(annotationMessage(p), findingProps(p));
  }
}

function findingProps(p: PlacedFinding): core.AnnotationProperties {
  const props: core.AnnotationProperties = { title: p.finding.ruleId };
  if (!p.primary) return props;
  const r = cleanRegion(p.primary.location.region);
  // GitHub accepts a column range only on a one-line region.
  const columns = r.startLine === r.endLine ? { startColumn: r.startColumn, endColumn: r.endColumn } : {};
  return { ...props, file: p.primary.path, startLine: r.startLine, endLine: r.endLine, ...columns };
}

function annotationMessage(p: PlacedFinding): string {
  const f = p.finding;
  // Without a file the annotation has no anchor, so the resource address has to say where.
  const head = p.primary ? f.message : `${f.address}: ${f.message}`;
  const related = p.related.map((r) => `↳ ${r.path}:${cleanRegion(r.location.region).startLine} ${r.message}`.trimEnd());
  return [head, ...related].join('\n');
}

function diagnosticProps(cwd: string, d: Diagnostic): core.AnnotationProperties {
  const props: core.AnnotationProperties = { title: `lambda-adr-lint ${d.code}` };
  const file = d.file ? relativeToCwd(cwd, d.file) : undefined;
  if (file === undefined) return props;
  const line = Number.isInteger(d.line) && (d.line as number) >= 1 ? (d.line as number) : undefined;
  return { ...props, file, ...(line ? { startLine: line } : {}) };
}

// --- job summary -----------------------------------------------------------------------------

async function writeSummary(markdown: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set; no job summary written');
    return;
  }
  try {
    await core.summary.addRaw(markdown, true).write();
  } catch (e) {
    // The summary is a convenience: the annotations and the SARIF file already carry the findings.
    core.warning(`lambda-adr-lint: could not write the job summary (${(e as Error)?.message ?? String(e)})`);
  }
}

/**
 * File links in the summary point at the commit being checked (a job summary is not shown beside
 * the files, so relative links would lead nowhere); without the GitHub variables they stay relative.
 */
export function sourceBaseUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  if (!server || !repo || !sha || !/^[0-9a-f]{40}$/i.test(sha)) return undefined;
  return `${server.replace(/\/+$/, '')}/${repo}/blob/${sha}/`;
}

function countAtOrAbove(result: LintResult, failOn: FailOn): number {
  if (failOn === 'never') return 0;
  return result.findings.filter((f) => !f.suppression && LEVEL_RANK[f.level] >= LEVEL_RANK[failOn]).length;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// Runs when executed as the Action's entry (dist/index.js), not when a test imports this module.
if (require.main === module) void runAction();
