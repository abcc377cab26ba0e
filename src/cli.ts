/**
 * The command line: parses arguments, loads the config file, runs the lint API, applies a
 * baseline, writes the chosen format, and turns the result into the exit code of DESIGN.md
 * (0 clean, 1 unsuppressed findings at or above --fail-on, 2 usage error, bad config or
 * baseline, or unreadable input). Never prints a stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import yargs from 'yargs';
import { lint } from './lint';
import { format, FORMATS, type Format } from './report/index';
import type { LintResult } from './report/result';
import { LEVEL_RANK, type Level, type Rule } from './rule';
import { allRules, findRule } from '../rules';
import { GRAPH_FORMATS, isGraphFormat, renderGraph, type GraphFormat } from './graph/render';
import { storeTypes } from '../rules/lambda-no-datastore';
import { TOOL_VERSION, DOCS_BASE_URL, docsPath } from './version';
import { loadConfig, type LintConfig } from './config/load';
import { isValidDate } from './config/dates';
import { applyBaseline, readBaseline, writeBaseline, writeFileAtomically, type Baseline } from './baseline';
import { suppressionRule, SUPPRESSION_RULE_ID } from './suppress/rule';

export { isValidDate };

export type FailOn = Level | 'never';

export class UsageError extends Error {}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    io.stderr(`lambda-adr-lint: ${e instanceof UsageError ? '' : 'internal error: '}${(e as Error).message}\n`);
    return 2;
  }
}

export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  readonly cwd: string;
  readonly isTTY: boolean;
  /** Progress goes to stderr only when a person is watching it. */
  readonly stderrIsTTY?: boolean;
  readonly env: NodeJS.ProcessEnv;
}

function processIo(): CliIo {
  return {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    cwd: process.cwd(),
    isTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    env: process.env,
  };
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let usageError: string | undefined;
  const parser = yargs([...argv])
    .scriptName('lambda-adr-lint')
    .usage('$0 [PATH...] [options]\n\nLint Terraform source and plans against ADR030 (AWS Lambda only for short-lived, asynchronous Ruby glue code).')
    .command('$0 [paths..]', 'lint Terraform directories, .tf files and plan JSON files (default: .)', (y) =>
      y.positional('paths', { type: 'string', array: true, describe: 'directories, .tf/.tf.json files, `terraform show -json` plan files' }))
    .command('rules', 'list the rules with their levels (after the config file)')
    .command('explain <rule>', "print a rule's documentation")
    .command('graph [paths..]', 'print the linked graph of Lambda functions, ECS tasks, front doors, event sources and data stores', (y) =>
      y.positional('paths', { type: 'string', array: true, describe: 'directories, .tf/.tf.json files, `terraform show -json` plan files' })
        // yargs adds these to the global --format choices rather than replacing them: graphCommand checks.
        .option('format', { alias: 'f', choices: GRAPH_FORMATS as GraphFormat[], default: 'mermaid' as GraphFormat, describe: 'graph format' }))
    .option('format', { alias: 'f', choices: FORMATS as Format[], default: 'text' as Format, describe: 'output format' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of stdout' })
    .option('as-of', { type: 'string', describe: 'date to judge runtime support dates against (YYYY-MM-DD; default today)' })
    .option('fail-on', { choices: ['error', 'warning', 'note', 'never'] as const, default: 'error' as const, describe: 'lowest level that makes the exit code 1' })
    .option('var-file', { type: 'string', array: true, default: [] as string[], describe: 'variables file for the root modules (repeatable)' })
    .option('var', { type: 'string', array: true, default: [] as string[], describe: 'NAME=VALUE for a root module variable (repeatable)' })
    .option('source', { type: 'string', describe: 'directory with the .tf source of the plan files given' })
    .option('config', { alias: 'c', type: 'string', describe: 'config file (default: .lambda-adr-lint.yml/.yaml/.json, searched upward from here)' })
    .option('baseline', { type: 'string', describe: 'baseline file: findings it records are suppressed, only new ones count' })
    .option('write-baseline', { type: 'string', describe: "write this run's unsuppressed findings to a baseline file" })
    .option('color', { type: 'boolean', describe: 'force colours on or off in text output' })
    .strict()
    .help()
    .version(TOOL_VERSION)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      usageError = msg || err?.message || 'invalid arguments';
    });

  let helpOrVersion = false;
  let output = '';
  const args = await parser.parseAsync([...argv], {}, (_err, _argv, out) => {
    if (out) { helpOrVersion = true; output = out; }
  });
  if (usageError) throw new UsageError(`${usageError} (see --help)`);
  if (helpOrVersion) {
    io.stdout(output + '\n');
    return 0;
  }

  const [command] = args._.map(String);
  const paths = ((args.paths as string[] | undefined) ?? []).map(String);
  if (command === 'explain') return explain(String(args.rule), io);
  for (const flag of ['config', 'baseline', 'write-baseline'] as const) {
    if (args[flag] !== undefined && String(args[flag]).trim() === '') throw new UsageError(`--${flag} needs a file name`);
  }
  const config = readConfig(io.cwd, args.config);
  if (command === 'rules') return listRules(io, config);
  if (command === 'graph') return graphCommand(paths, args, config, io);

  const asOf = args['as-of'] ?? todayUtc();
  if (!isValidDate(asOf)) throw new UsageError(`--as-of must be a date as YYYY-MM-DD, got "${asOf}"`);
  for (const v of args.var) if (!/^[A-Za-z_][A-Za-z0-9_-]*=/.test(v)) throw new UsageError(`--var must be NAME=VALUE, got "${v}"`);
  const baseline = args.baseline !== undefined ? loadBaselineFile(io.cwd, args.baseline) : undefined;

  const progress = io.stderrIsTTY && !io.env.CI ? progressLine(io) : undefined;
  const linted = await lint({
    onProgress: progress?.update,
    paths,
    cwd: io.cwd,
    asOf,
    varFiles: args['var-file'],
    vars: args.var,
    sourceDir: args.source,
    ruleSettings: config.ruleSettings,
    exceptions: config.exceptions,
  });
  progress?.done();
  let result: LintResult = linted;

  const writeTo = args['write-baseline'];
  if (writeTo !== undefined) {
    // Before --baseline applies: rewriting a baseline keeps the findings it already records.
    const written = writeBaseline(path.resolve(io.cwd, writeTo), result.findings);
    if (!written.ok) throw new UsageError(written.error);
    const partial = result.diagnostics.some((d) => d.level === 'error') ? ' (some inputs could not be read; findings in them are not recorded)' : '';
    io.stderr(`lambda-adr-lint: wrote ${plural(written.count, 'finding')} to baseline ${writeTo}${partial}\n`);
  }
  if (baseline) {
    const applied = applyBaseline(result, baseline);
    result = applied.result;
    const stale = applied.stale > 0
      ? `; ${plural(applied.stale, 'entry', 'entries')} no longer ${applied.stale === 1 ? 'matches' : 'match'} any finding (rewrite it with --write-baseline to drop ${applied.stale === 1 ? 'it' : 'them'})`
      : '';
    io.stderr(`lambda-adr-lint: baseline ${baseline.name}: ${plural(applied.baselined, 'finding')} baselined (counted as suppressed)${stale}\n`);
  }

  const fmt = args.format as Format;
  const color = args.color ?? (fmt === 'text' && !args.output && io.isTTY && !io.env.NO_COLOR);
  const text = format(result, fmt, {
    color,
    docsBaseUrl: DOCS_BASE_URL,
    toolVersion: TOOL_VERSION,
    readLines: linted.lines,
    // For --format markdown: diagrams from the run's graph, file links to the commit on GitHub.
    graph: linted.graph,
    storeTypes: storeTypes(config.ruleSettings['lambda-no-datastore']?.options ?? {}),
    sourceBaseUrl: githubBlobBase(io.env, io.cwd),
  });
  if (args.output) writeAtomically(path.resolve(io.cwd, args.output), text.endsWith('\n') ? text : text + '\n');
  else io.stdout(text.endsWith('\n') ? text : text + '\n');
  return exitCode(result, args['fail-on']);
}

/** "parsed 120/2003 files" on one stderr line, redrawn at most 10 times a second and only after
 *  the first half second, so short runs print nothing; cleared when parsing is over. */
export function progressLine(io: Pick<CliIo, 'stderr'>, now: () => number = Date.now): { update: (done: number, total: number) => void; done: () => void } {
  const start = now();
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const t = now();
      if (t - start < 500 || t - last < 100) return;
      last = t;
      shown = true;
      io.stderr(`\rlambda-adr-lint: parsed ${done}/${total} files`);
    },
    done() {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}

/** `lambda-adr-lint graph`: the linked graph of the inputs (no rules run); exit 2 when an input could not be read. */
async function graphCommand(paths: string[], args: { format?: unknown; output?: string; 'var-file': string[]; var: string[]; source?: string }, config: LintConfig, io: CliIo): Promise<number> {
  const fmt = String(args.format);
  if (!isGraphFormat(fmt)) throw new UsageError(`graph --format must be one of ${GRAPH_FORMATS.join(', ')}, got "${fmt}"`);
  for (const v of args.var) if (!/^[A-Za-z_][A-Za-z0-9_-]*=/.test(v)) throw new UsageError(`--var must be NAME=VALUE, got "${v}"`);
  const run = await lint({ paths, cwd: io.cwd, asOf: todayUtc(), varFiles: args['var-file'], vars: args.var, sourceDir: args.source, rules: [] });
  for (const d of run.diagnostics) {
    const where = d.file ? `${path.relative(io.cwd, d.file) || d.file}${d.line ? `:${d.line}` : ''}: ` : '';
    io.stderr(`lambda-adr-lint: ${d.level}: ${where}${d.message}\n`);
  }
  const text = renderGraph(run.model, run.graph, fmt, { cwd: run.cwd, storeTypes: storeTypes(config.ruleSettings['lambda-no-datastore']?.options ?? {}) });
  if (args.output) writeAtomically(path.resolve(io.cwd, args.output), text);
  else io.stdout(text);
  return run.diagnostics.some((d) => d.level === 'error') ? 2 : 0;
}

/** `https://github.com/OWNER/REPO/blob/SHA/<cwd within the checkout>/` inside GitHub Actions, for Markdown file links. */
function githubBlobBase(env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha, GITHUB_WORKSPACE: workspace } = env;
  if (!server || !repo || !sha) return undefined;
  const sub = workspace ? path.relative(workspace, cwd).split(path.sep).join('/') : '';
  if (sub === '..' || sub.startsWith('../') || path.isAbsolute(sub)) return undefined;
  return `${server}/${repo}/blob/${sha}/${sub ? `${sub}/` : ''}`;
}

export function exitCode(result: LintResult, failOn: FailOn): number {
  if (result.diagnostics.some((d) => d.level === 'error')) return 2;
  if (failOn === 'never') return 0;
  const threshold = LEVEL_RANK[failOn];
  return result.findings.some((f) => !f.suppression && LEVEL_RANK[f.level] >= threshold) ? 1 : 0;
}

/** Write to a temporary file and rename, so a failed run never leaves a partial report. */
function writeAtomically(file: string, text: string): void {
  const error = writeFileAtomically(file, text);
  if (error) throw new UsageError(error);
}

/** The config file (--config, or found upward from cwd); a bad one is a usage error naming the key. */
function readConfig(cwd: string, configPath: string | undefined): LintConfig {
  const loaded = loadConfig({ cwd, configPath });
  if (!loaded.ok) throw new UsageError(loaded.error);
  return loaded.config;
}

function loadBaselineFile(cwd: string, file: string): Baseline {
  const read = readBaseline(path.resolve(cwd, file), file);
  if (!read.ok) throw new UsageError(read.error);
  return read.baseline;
}

/** Every rule with the level it runs at: the config's where it sets one, else the default. */
function listRules(io: CliIo, config: LintConfig): number {
  const rules: readonly Rule[] = [...allRules, suppressionRule];
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  for (const r of rules) {
    const level = config.ruleSettings[r.meta.id]?.level ?? r.meta.defaultLevel;
    io.stdout(`${r.meta.id.padEnd(width)}  ${level.padEnd(7)}  ${r.meta.shortDescription}\n`);
  }
  if (config.file) io.stdout(`\nLevels as configured in ${path.relative(io.cwd, config.file) || config.file}.\n`);
  return 0;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

function explain(id: string, io: CliIo): number {
  const rule = id === SUPPRESSION_RULE_ID ? suppressionRule : findRule(id);
  if (!rule) throw new UsageError(`unknown rule "${id}"; run \`lambda-adr-lint rules\` for the list`);
  try {
    io.stdout(fs.readFileSync(docsPath(rule.meta.id), 'utf8'));
  } catch {
    io.stdout(`${rule.meta.id} (${rule.meta.defaultLevel})\n\n${rule.meta.fullDescription}\n\nADR030: "${rule.meta.adr}"\n`);
  }
  return 0;
}

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
