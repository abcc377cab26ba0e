/**
 * Mutation testing on the fixtures: copies a scenario, breaks one of its files in a few seeded,
 * random ways (truncation, lost or repeated lines, flipped characters, a stray `${`, unbalanced
 * brackets, odd unicode), and runs the CLI on it. Whatever the damage, the linter must finish with
 * exit code 0, 1 or 2, print no stack trace and no internal error, and write nothing behind the
 * CLI's back (the Go parser's runtime prints its crashes straight to file descriptor 2).
 *
 * A second property checks the HCL parser's large-file path on the same mutants: parsing a file in
 * pieces cut between top-level blocks must give exactly what parsing it whole gives, or fail alike.
 *
 * Reproduce or widen a run with FUZZ_SEED and FUZZ_CASES (e.g. FUZZ_CASES=3000).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fg from 'fast-glob';
import { runCli } from './helpers/run-cli';
import { parseHcl } from '../src/load/hcl2json';

const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const CASES = Number(process.env.FUZZ_CASES ?? 300);
const PER_CASE_MS = 15_000;
const FORMATS = ['json', 'text', 'sarif', 'github', 'markdown'];

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$|^goroutine \d+|fatal error:/m;

/** mulberry32: a small seeded generator, the same everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const int = (n: number): number => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

/** Characters that have broken parsers before: quotes, escapes, template and heredoc openers, BOMs,
 *  NUL, control and bidi characters, astral and combining characters, a lone surrogate. */
const ODD = ['"', '\\', '${', '%{', '}', '{', '[', ']', '(', ')', '<<EOF\n', '\n', '\r', '\t', '#', '//', '/*', '*/', '=', ':', ',',
  '\u0000', '\u0001', '\u001b', '\u00a0', '\u200b', '\u202e', '\ufeff', '\u2028', 'é', 'ß', '中', '🦄', '\u0301', '\ud800', '$${', '%%{', '~}'];

type Mutation = (text: string) => string;

const MUTATIONS: Record<string, Mutation> = {
  truncate: (t) => t.slice(0, int(t.length + 1)),
  deleteLine: (t) => {
    const lines = t.split('\n');
    lines.splice(int(lines.length), 1);
    return lines.join('\n');
  },
  duplicateLine: (t) => {
    const lines = t.split('\n');
    const i = int(lines.length);
    lines.splice(i, 0, lines[i] ?? '');
    return lines.join('\n');
  },
  swapLines: (t) => {
    const lines = t.split('\n');
    const i = int(lines.length);
    const j = int(lines.length);
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join('\n');
  },
  flipCharacters: (t) => {
    const chars = [...t];
    for (let k = 0, n = 1 + int(8); k < n && chars.length; k++) chars[int(chars.length)] = String.fromCharCode(32 + int(95));
    return chars.join('');
  },
  insertInterpolation: (t) => insert(t, pick(['${', '${var.', '${local.x', '"${', '${}', '${${', '%{ if', '%{ for x in'])),
  unbalance: (t) => insert(t, pick(['{', '}', '[', ']', '(', ')', '{{{{', '}}}}', '"', '<<EOF'])),
  unicode: (t) => insert(t, Array.from({ length: 1 + int(4) }, () => pick(ODD)).join('')),
  repeatChunk: (t) => {
    const a = int(t.length);
    const b = Math.min(t.length, a + int(200));
    return t.slice(0, b) + t.slice(a, b).repeat(1 + int(20)) + t.slice(b);
  },
  deepen: (t) => {
    const n = 50 + int(3000);
    return insert(t, pick(['[', '(', '{', '!']).repeat(n));
  },
};

function insert(t: string, s: string): string {
  const i = int(t.length + 1);
  return t.slice(0, i) + s + t.slice(i);
}

interface Scenario {
  readonly dir: string;
  readonly paths: readonly string[];
  readonly args: readonly string[];
  /** Files under dir a mutation may hit. */
  readonly files: readonly string[];
}

function scenarios(): Scenario[] {
  const out: Scenario[] = [];
  for (const exp of fg.sync('**/expected.json', { cwd: FIXTURES }).sort()) {
    const dir = path.join(FIXTURES, path.dirname(exp));
    const raw = JSON.parse(fs.readFileSync(path.join(FIXTURES, exp), 'utf8'));
    const spec = Array.isArray(raw) ? { paths: ['plan.json'], args: [] } : { paths: raw.paths ?? ['.'], args: raw.args ?? [] };
    const files = fg.sync(['**/*.tf', '**/*.tf.json', '**/*.tfvars', '**/*.tfvars.json', '**/*.json', '**/*.yml', '**/*.yaml'], { cwd: dir, dot: true, ignore: ['expected.json'] }).sort();
    if (files.length) out.push({ dir, paths: spec.paths, args: spec.args, files });
  }
  // The stand-alone broken plans.
  for (const f of fg.sync('plan-errors/*.json', { cwd: FIXTURES }).sort()) {
    out.push({ dir: path.join(FIXTURES, 'plan-errors'), paths: [path.basename(f)], args: [], files: [path.basename(f)] });
  }
  return out;
}

let scratch: string;
const writes: string[] = [];
let writeSync: jest.SpyInstance;

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-fuzz-'));
  fs.mkdirSync(path.join(scratch, '.git')); // the config search stops here
  // The Go runtime inside hcl2json reports fatal errors with fs.writeSync(2, …), bypassing the CLI.
  // (The core module itself, not the import's namespace copy, is what the runtime holds.)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require('fs') as typeof fs;
  const original = core.writeSync;
  writeSync = jest.spyOn(core, 'writeSync').mockImplementation(((fd: number, ...rest: unknown[]) => {
    if (fd === 1 || fd === 2) writes.push(String(rest[0]));
    return (original as (...a: unknown[]) => number)(fd, ...rest);
  }) as typeof fs.writeSync);
});

afterAll(() => {
  writeSync.mockRestore();
  fs.rmSync(scratch, { recursive: true, force: true });
});

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer after ${PER_CASE_MS} ms: ${what}`)), PER_CASE_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

test(`${CASES} mutated fixtures: exit 0, 1 or 2, no stack trace, no internal error (seed ${SEED})`, async () => {
  const all = scenarios();
  expect(all.length).toBeGreaterThan(10);
  const codes = new Map<number, number>();
  for (let n = 0; n < CASES; n++) {
    const sc = pick(all);
    const target = pick(sc.files);
    const names = Array.from({ length: 1 + int(3) }, () => pick(Object.keys(MUTATIONS)));
    const dir = path.join(scratch, `case-${n}`);
    fs.cpSync(sc.dir, dir, { recursive: true });
    const file = path.join(dir, target);
    let text = fs.readFileSync(file, 'utf8');
    for (const name of names) text = MUTATIONS[name](text);
    fs.writeFileSync(file, text);
    const format = pick(FORMATS);
    const what = `case ${n}: ${path.relative(FIXTURES, path.join(sc.dir, target))} after ${names.join(', ')} (--format ${format}); kept in ${dir}`;

    const run = await withTimeout(runCli([...sc.paths, ...sc.args, '--format', format, '--as-of', '2026-11-27'], dir), what);
    expect({ what, code: [0, 1, 2].includes(run.code) }).toEqual({ what, code: true });
    expect({ what, stderr: run.stderr }).not.toEqual({ what, stderr: expect.stringMatching(/internal error/) });
    expect({ what, out: STACK_TRACE.test(run.stdout) || STACK_TRACE.test(run.stderr) }).toEqual({ what, out: false });
    expect({ what, writes }).toEqual({ what, writes: [] });
    if (run.stderr) {
      // A usage error (a broken config file): one line on stderr, exit 2, no report.
      expect({ what, code: run.code, stderr: run.stderr }).toEqual({ what, code: 2, stderr: expect.stringMatching(/^lambda-adr-lint: [^\n]+\n$/) });
    } else if (format === 'json' || format === 'sarif') {
      const report = JSON.parse(run.stdout);
      if (format === 'sarif') expect(report.version).toBe('2.1.0');
    }
    codes.set(run.code, (codes.get(run.code) ?? 0) + 1);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The mutations must actually break things now and then, and not always.
  expect(codes.get(2) ?? 0).toBeGreaterThan(CASES / 10);
  expect((codes.get(0) ?? 0) + (codes.get(1) ?? 0)).toBeGreaterThan(CASES / 10);
}, 180_000);

test('HCL parsed in pieces gives what parsing it whole gives, on mutated fixtures', async () => {
  const tfFiles = fg.sync('**/*.tf', { cwd: FIXTURES, absolute: true }).sort();
  let compared = 0;
  for (let n = 0; n < 200; n++) {
    const file = pick(tfFiles);
    let text = fs.readFileSync(file, 'utf8');
    const names = Array.from({ length: int(3) }, () => pick(['deleteLine', 'duplicateLine', 'swapLines', 'insertInterpolation', 'unbalance', 'unicode', 'truncate']));
    for (const name of names) text = MUTATIONS[name](text);
    const outcome = async (pieceSize?: number): Promise<string> => {
      try {
        return JSON.stringify(await parseHcl('main.tf', text, pieceSize));
      } catch (e) {
        return `error: ${(e as Error).message}`;
      }
    };
    const whole = await outcome(Number.MAX_SAFE_INTEGER);
    const pieces = await outcome(1); // a cut after every top-level block
    expect({ file, names, pieces }).toEqual({ file, names, pieces: whole });
    compared++;
  }
  expect(compared).toBe(200);
}, 60_000);
