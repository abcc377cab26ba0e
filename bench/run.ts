/**
 * The benchmark: lints a generated monorepo through the public `lint()` API and compares it, in
 * the same run and on the same files, with the floor no linter can beat — reading every file and
 * parsing it with `@cdktf/hcl2json` alone. Also cold start (the CLI on a one-file directory against
 * `node` loading hcl2json and parsing that file) and peak memory. Every measurement runs in its own
 * child process, so one cannot warm or bloat another, and the children alternate so that machine
 * noise falls on both sides of each ratio.
 *
 *   npm run bench -- [--files 2000] [--seed 1] [--runs 3] [--cold-runs 7] [--dir DIR] [--keep] [--check] [--json]
 *
 *   --dir DIR   lint an existing directory instead of generating one
 *   --check     exit 1 when a target is missed
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Targets from the issue, as ratios measured in one run. */
export const TARGETS = { lintOverFloor: 1.5, coldOverFloor: 1.5, peakRssMb: 400 } as const;

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'lambda-adr-lint.js');
const AS_OF = '2026-11-27';
const TF_PATTERNS = ['**/*.tf', '**/*.tf.json'];
const IGNORE = ['**/.terraform/**', '**/.git/**', '**/node_modules/**'];

/** What a measuring child prints on its last line. */
interface ChildReport {
  readonly ms: number;
  /** CPU time of the process over the same span (all threads): steadier than wall time on a busy machine. */
  readonly cpuMs: number;
  readonly files: number;
  readonly maxRssMb: number;
  readonly findings?: number;
  readonly diagnostics?: number;
}

// ---------------------------------------------------------------- children

/** A tiny Terraform file: the warm-up input, and the cold-start input. */
const ONE_FILE = `resource "aws_iam_role" "worker" {
  name               = "nightly-digest"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}

resource "aws_lambda_function" "worker" {
  function_name = "nightly-digest"
  role          = aws_iam_role.worker.arn
  handler       = "digest.handler"
  runtime       = "ruby3.4"
  s3_bucket     = "artifacts"
  s3_key        = "digest.zip"
  timeout       = 60
}
`;

function oneFileDir(parent: string): string {
  const dir = path.join(parent, 'one-file');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.tf'), ONE_FILE);
  return dir;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

function maxRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // kilobytes on every platform Node supports
}

/** The floor: read and parse every file with hcl2json (JSON.parse for `.tf.json`), nothing else.
 *  The parser is warmed first and the files listed before the clock starts. */
async function childFloor(dir: string): Promise<ChildReport> {
  const { parse } = require('@cdktf/hcl2json') as typeof import('@cdktf/hcl2json');
  const fg = require('fast-glob') as typeof import('fast-glob');
  await parse('warm-up.tf', ONE_FILE);
  const files = fg.sync(TF_PATTERNS, { cwd: dir, absolute: true, ignore: IGNORE, dot: true, followSymbolicLinks: false }).sort();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    try {
      if (f.endsWith('.json')) JSON.parse(text);
      else await parse(f, text);
    } catch {
      // A broken file costs the parser its error; the lint reports it.
    }
  }
  return { ms: performance.now() - t0, cpuMs: cpuSince(c0), files: files.length, maxRssMb: maxRssMb() };
}

/** The lint, through the public API, after one warm-up lint of a one-file directory (so that
 *  neither side pays the parser's first-parse cost). */
async function childLint(dir: string, scratch: string): Promise<ChildReport> {
  const { lint } = require('../src/lint') as typeof import('../src/lint');
  const warm = oneFileDir(scratch);
  await lint({ paths: [warm], cwd: warm, asOf: AS_OF });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const result = await lint({ paths: [dir], cwd: dir, asOf: AS_OF });
  const ms = performance.now() - t0;
  return { ms, cpuMs: cpuSince(c0), files: result.filesScanned, maxRssMb: maxRssMb(), findings: result.findings.length, diagnostics: result.diagnostics.length };
}

async function child(mode: string, dir: string, scratch: string): Promise<void> {
  const report = mode === 'floor' ? await childFloor(dir) : await childLint(dir, scratch);
  process.stdout.write(JSON.stringify(report) + '\n');
}

function runChild(mode: 'floor' | 'lint', dir: string, scratch: string): ChildReport {
  const r = spawnSync(process.execPath, [__filename, '--child', mode, dir, scratch], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as ChildReport;
  } catch {
    throw new Error(`${mode} child failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(0, 5).join(' / ')}`);
  }
}

/** Wall time of a whole process, start to exit. */
function timeProcess(args: readonly string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...args], { cwd, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.trim().slice(0, 300)}`);
  return ms;
}

// ---------------------------------------------------------------- the run

interface Options {
  files: number;
  seed: number;
  runs: number;
  coldRuns: number;
  dir?: string;
  keep: boolean;
  check: boolean;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, dflt: number): number => {
    const v = value(name);
    const n = v === undefined ? dflt : Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${v}"`);
    return n;
  };
  return {
    files: int('files', 2000),
    seed: int('seed', 1),
    runs: int('runs', 3),
    coldRuns: int('cold-runs', 7),
    dir: value('dir'),
    keep: argv.includes('--keep'),
    check: argv.includes('--check'),
    json: argv.includes('--json'),
  };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface BenchResult {
  /** `.tf` / `.tf.json` files (what the floor parses). */
  readonly files: number;
  /** Files the lint read: those plus tfvars. */
  readonly lintFiles: number;
  readonly roots?: number;
  readonly megabytes: number;
  readonly lintMs: readonly number[];
  readonly floorMs: readonly number[];
  readonly lintRatio: number;
  readonly lintCpuMs: readonly number[];
  readonly floorCpuMs: readonly number[];
  readonly cpuRatio: number;
  readonly filesPerSecond: number;
  readonly lintPeakRssMb: number;
  readonly floorPeakRssMb: number;
  readonly findings: number;
  readonly diagnostics: number;
  readonly coldMs: readonly number[];
  readonly coldFloorMs: readonly number[];
  readonly coldRatio: number;
  /** 1-minute load average per CPU at the end (over 1: other work competed for the CPUs). */
  readonly loadPerCpu: number;
}

async function bench(o: Options): Promise<BenchResult> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-adr-lint-bench-'));
  try {
    let dir = o.dir ? path.resolve(o.dir) : path.join(scratch, 'monorepo');
    let roots: number | undefined;
    if (!o.dir) {
      const { generateMonorepo } = require('./generate') as typeof import('./generate');
      const repo = generateMonorepo(dir, { files: o.files, seed: o.seed });
      roots = repo.roots;
      log(o, `generated ${repo.files} files in ${repo.roots} root modules (${(repo.bytes / 1048576).toFixed(1)} MB) in ${dir}`);
    }
    dir = fs.realpathSync(dir);
    const megabytes = sizeOf(dir) / 1048576;

    const lint: ChildReport[] = [];
    const floor: ChildReport[] = [];
    for (let i = 0; i < o.runs; i++) {
      // Alternate which goes first, so drift in machine load falls on both.
      const order: ('floor' | 'lint')[] = i % 2 ? ['lint', 'floor'] : ['floor', 'lint'];
      for (const mode of order) {
        const r = runChild(mode, dir, scratch);
        (mode === 'lint' ? lint : floor).push(r);
        log(o, `  run ${i + 1}/${o.runs} ${mode.padEnd(5)} ${r.ms.toFixed(0)} ms, peak ${r.maxRssMb.toFixed(0)} MB`);
      }
    }

    const one = oneFileDir(scratch);
    const oneFile = path.join(one, 'main.tf');
    const hcl2json = require.resolve('@cdktf/hcl2json');
    const floorScript = `require(${JSON.stringify(hcl2json)}).parse('main.tf', require('fs').readFileSync(${JSON.stringify(oneFile)}, 'utf8')).then(() => {})`;
    const cold: number[] = [];
    const coldFloor: number[] = [];
    for (let i = 0; i < o.coldRuns; i++) {
      const pair: (() => void)[] = [
        () => cold.push(timeProcess([CLI, '.', '--format', 'json', '--as-of', AS_OF], one)),
        () => coldFloor.push(timeProcess(['-e', floorScript], one)),
      ];
      if (i % 2) pair.reverse();
      pair.forEach((f) => f());
    }

    const lintMs = median(lint.map((r) => r.ms));
    const floorMs = median(floor.map((r) => r.ms));
    return {
      files: floor[0].files,
      lintFiles: lint[0].files,
      roots,
      megabytes,
      lintMs: lint.map((r) => r.ms),
      floorMs: floor.map((r) => r.ms),
      lintRatio: lintMs / floorMs,
      lintCpuMs: lint.map((r) => r.cpuMs),
      floorCpuMs: floor.map((r) => r.cpuMs),
      cpuRatio: median(lint.map((r) => r.cpuMs)) / median(floor.map((r) => r.cpuMs)),
      filesPerSecond: floor[0].files / (lintMs / 1000),
      lintPeakRssMb: Math.max(...lint.map((r) => r.maxRssMb)),
      floorPeakRssMb: Math.max(...floor.map((r) => r.maxRssMb)),
      findings: lint[0].findings ?? 0,
      diagnostics: lint[0].diagnostics ?? 0,
      coldMs: cold,
      coldFloorMs: coldFloor,
      coldRatio: median(cold) / median(coldFloor),
      loadPerCpu: os.loadavg()[0] / os.cpus().length,
    };
  } finally {
    if (!o.keep) fs.rmSync(scratch, { recursive: true, force: true });
    else log(o, `kept ${scratch}`);
  }
}

function sizeOf(dir: string): number {
  const fg = require('fast-glob') as typeof import('fast-glob');
  return fg.sync(TF_PATTERNS, { cwd: dir, absolute: true, ignore: IGNORE, dot: true }).reduce((n, f) => n + fs.statSync(f).size, 0);
}

function log(o: Options, s: string): void {
  if (!o.json) process.stderr.write(s + '\n');
}

function table(r: BenchResult, o: Options): { text: string; missed: string[] } {
  const missed: string[] = [];
  const verdict = (ok: boolean, what: string): string => {
    if (!ok) missed.push(what);
    return ok ? 'met' : 'MISSED';
  };
  const ms = (xs: readonly number[]): string => `${median(xs).toFixed(0)} ms`;
  const spread = (xs: readonly number[]): string => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} ms`;
  const rows: string[][] = [
    ['measurement', 'median', 'range', 'target', ''],
    ['full lint, lint() in-process', ms(r.lintMs), spread(r.lintMs), '', ''],
    ['floor: read + hcl2json parse only', ms(r.floorMs), spread(r.floorMs), '', ''],
    ['lint / floor', `${r.lintRatio.toFixed(2)}×`, '', `≤ ${TARGETS.lintOverFloor}×`, verdict(r.lintRatio <= TARGETS.lintOverFloor, 'lint/floor')],
    ['  same, in CPU time', `${r.cpuRatio.toFixed(2)}×`, `${median(r.lintCpuMs).toFixed(0)} / ${median(r.floorCpuMs).toFixed(0)} ms`, '', ''],
    ['files per second (lint)', `${r.filesPerSecond.toFixed(0)}`, '', '', ''],
    ['peak RSS, lint process', `${r.lintPeakRssMb.toFixed(0)} MB`, '', `< ${TARGETS.peakRssMb} MB`, verdict(r.lintPeakRssMb < TARGETS.peakRssMb, 'peak memory')],
    ['peak RSS, floor process', `${r.floorPeakRssMb.toFixed(0)} MB`, '', '', ''],
    ['cold start: CLI on one file', ms(r.coldMs), spread(r.coldMs), '', ''],
    ['cold floor: node + first hcl2json parse', ms(r.coldFloorMs), spread(r.coldFloorMs), '', ''],
    ['cold start / cold floor', `${r.coldRatio.toFixed(2)}×`, '', `≤ ${TARGETS.coldOverFloor}×`, verdict(r.coldRatio <= TARGETS.coldOverFloor, 'cold start')],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]): string => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  const head = [
    `lambda-adr-lint benchmark: ${r.files} .tf/.tf.json files${r.roots ? ` in ${r.roots} root modules` : ''} (${r.megabytes.toFixed(1)} MB); `
      + `the lint read ${r.lintFiles} files (with tfvars), found ${r.findings} findings, ${r.diagnostics} diagnostics`,
    `${o.runs} runs, ${o.coldRuns} cold runs; Node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}; load ${r.loadPerCpu.toFixed(2)} per CPU`,
  ];
  const notes = r.loadPerCpu > 1 ? ['', 'note: other processes were competing for the CPUs; wall-time figures are noisy (the CPU-time ratio is steadier).'] : [];
  const text = [...head, '', line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), ...notes].join('\n') + '\n';
  return { text, missed };
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--child') {
    await child(argv[1], argv[2], argv[3]);
    return 0;
  }
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  if (!fs.existsSync(CLI) || !fs.existsSync(path.join(REPO, 'lib', 'src', 'lint.js'))) {
    process.stderr.write('bench: run `npm run build` first (npm run bench does)\n');
    return 2;
  }
  const r = await bench(o);
  const { text, missed } = table(r, o);
  process.stdout.write(o.json ? JSON.stringify({ ...r, targets: TARGETS, missed }, null, 2) + '\n' : '\n' + text);
  return o.check && missed.length ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`bench: ${(e as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
