/**
 * Baselines: reading and checking the file, matching findings one-to-one (exact fingerprint first,
 * then rule and address), writing atomically, and the round trip through lint(): write, lint
 * again (nothing new), move lines (nothing new), add a violation (one new).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { applyBaseline, baselineEntries, formatBaseline, parseBaseline, readBaseline, writeBaseline, writeFileAtomically, type Baseline } from '../src/baseline';
import { lint } from '../src/lint';
import { hclPointer } from '../src/model/source';
import type { LintResult, ReportedFinding } from '../src/report/result';

function finding(ruleId: string, address: string, fingerprint: string, suppressed = false): ReportedFinding {
  const location = { file: '/p/main.tf', region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } };
  return {
    ruleId,
    level: 'error',
    message: 'm',
    address,
    pointer: hclPointer('/p/main.tf', []),
    related: [],
    location,
    relatedLocations: [],
    fingerprint,
    ...(suppressed ? { suppression: { kind: 'inSource' as const, justification: 'j' } } : {}),
  };
}

function result(findings: ReportedFinding[]): LintResult {
  return { cwd: '/p', rules: [], findings, diagnostics: [], filesScanned: 1, asOf: '2026-11-27' };
}

function baseline(entries: [string, string, string][]): Baseline {
  return { name: 'base.json', entries: entries.map(([rule, address, fingerprint]) => ({ rule, address, fingerprint })) };
}

describe('parseBaseline', () => {
  test('a valid file', () => {
    const r = parseBaseline('{"version":1,"findings":[{"rule":"r","address":"a","fingerprint":"f"}]}', 'b.json');
    expect(r).toEqual({ ok: true, baseline: { name: 'b.json', entries: [{ rule: 'r', address: 'a', fingerprint: 'f' }] } });
  });

  test.each([
    ['not JSON', '{"version":1,', /^baseline b\.json: not valid JSON \(/],
    ['not an object', '[]', /^baseline b\.json: must be an object/],
    ['another version', '{"version":2,"findings":[]}', /^baseline b\.json: version must be 1, found 2 \(rewrite it with --write-baseline\)$/],
    ['no version', '{"findings":[]}', /^baseline b\.json: version must be 1, found none/],
    ['findings not a list', '{"version":1,"findings":{}}', /^baseline b\.json: findings must be a list$/],
    ['an entry without fingerprint', '{"version":1,"findings":[{"rule":"r","address":"a"}]}', /^baseline b\.json: findings\[0\]\.fingerprint must be a string$/],
    ['an entry that is a string', '{"version":1,"findings":["x"]}', /^baseline b\.json: findings\[0\] must be an object/],
  ])('%s is an error', (_name, text, expected) => {
    const r = parseBaseline(text, 'b.json');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(expected);
  });

  test('a missing file says how to create one', () => {
    expect(readBaseline('/nonexistent/dir/b.json', 'b.json')).toEqual({ ok: false, error: 'baseline b.json: cannot read it: no such file (create it with --write-baseline)' });
  });
});

describe('baselineEntries', () => {
  test('unsuppressed findings only, sorted by rule, address and fingerprint', () => {
    const entries = baselineEntries([finding('z', 'a', '1'), finding('a', 'b', '2'), finding('a', 'a', '3'), finding('a', 'a', '0', true)]);
    expect(entries).toEqual([
      { rule: 'a', address: 'a', fingerprint: '3' },
      { rule: 'a', address: 'b', fingerprint: '2' },
      { rule: 'z', address: 'a', fingerprint: '1' },
    ]);
    expect(JSON.parse(formatBaseline(entries))).toEqual({ version: 1, findings: entries });
  });
});

describe('applyBaseline', () => {
  test('exact matches are suppressed as external "in baseline FILE"', () => {
    const out = applyBaseline(result([finding('r', 'a', 'f1'), finding('r', 'b', 'f2')]), baseline([['r', 'a', 'f1']]));
    expect(out.result.findings[0].suppression).toEqual({ kind: 'external', justification: 'in baseline base.json' });
    expect(out.result.findings[1].suppression).toBeUndefined();
    expect([out.baselined, out.stale]).toEqual([1, 0]);
  });

  test('a changed fingerprint still matches on rule and address, one-to-one', () => {
    // Baseline: two findings of r on a. Now: one unchanged, one edited, one more.
    const out = applyBaseline(
      result([finding('r', 'a', 'new'), finding('r', 'a', 'f1'), finding('r', 'a', 'newer')]),
      baseline([['r', 'a', 'f1'], ['r', 'a', 'f2']]),
    );
    expect(out.result.findings.map((f) => !!f.suppression)).toEqual([true, true, false]);
    expect([out.baselined, out.stale]).toEqual([2, 0]);
  });

  test('exact matches win over loose ones', () => {
    // If the loose pass ran first, "x" would take f1's entry and "f1" would be new.
    const out = applyBaseline(result([finding('r', 'a', 'x'), finding('r', 'a', 'f1')]), baseline([['r', 'a', 'f1']]));
    expect(out.result.findings.map((f) => !!f.suppression)).toEqual([false, true]);
  });

  test('entries that match nothing are stale; other rules and addresses never match', () => {
    const out = applyBaseline(result([finding('r', 'b', 'f1'), finding('s', 'a', 'f1')]), baseline([['r', 'a', 'f1'], ['r', 'a', 'f2']]));
    expect(out.result.findings.every((f) => !f.suppression)).toBe(true);
    expect([out.baselined, out.stale]).toEqual([0, 2]);
  });

  test('findings suppressed otherwise are left alone and use no entry', () => {
    const inline = finding('r', 'a', 'f1', true);
    const out = applyBaseline(result([inline]), baseline([['r', 'a', 'f1']]));
    expect(out.result.findings[0]).toBe(inline);
    expect([out.baselined, out.stale]).toEqual([0, 1]);
  });
});

describe('writing', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-baseline-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('atomically: the file is replaced whole, no temporary file is left', () => {
    const file = path.join(dir, 'b.json');
    fs.writeFileSync(file, 'old');
    expect(writeBaseline(file, [finding('r', 'a', 'f')])).toEqual({ ok: true, count: 1 });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 1, findings: [{ rule: 'r', address: 'a', fingerprint: 'f' }] });
    expect(fs.readdirSync(dir)).toEqual(['b.json']);
  });

  test('a directory that does not exist is an error, and nothing is written', () => {
    const file = path.join(dir, 'missing', 'b.json');
    expect(writeFileAtomically(file, 'x')).toBe(`cannot write ${file}: no such directory`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('writing over a directory fails and cleans up', () => {
    fs.mkdirSync(path.join(dir, 'b.json'));
    expect(writeFileAtomically(path.join(dir, 'b.json'), 'x')).toMatch(/^cannot write .*b\.json: /);
    expect(fs.readdirSync(dir)).toEqual(['b.json']);
  });
});

describe('round trip through lint()', () => {
  let dir: string;
  const fn = (name: string, runtime: string): string => [
    `resource "aws_lambda_function" "${name}" {`,
    `  function_name = "${name}"`,
    '  role          = "arn:aws:iam::123456789012:role/x"',
    `  filename      = "${name}.zip"`,
    '  handler       = "h.handler"',
    `  runtime       = "${runtime}"`,
    '}',
    '',
  ].join('\n');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-roundtrip-'));
    fs.writeFileSync(path.join(dir, 'main.tf'), fn('exporter', 'python3.12') + fn('reporter', 'nodejs22.x'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = async (): Promise<LintResult> => lint({ paths: ['.'], cwd: dir, asOf: '2026-11-27' });
  const fresh = (r: LintResult) => r.findings.filter((f) => !f.suppression);

  test('write, lint again: nothing new; move lines: nothing new; add a violation: one new', async () => {
    const first = await run();
    expect(fresh(first).length).toBeGreaterThanOrEqual(2);
    const file = path.join(dir, 'baseline.json');
    expect(writeBaseline(file, first.findings)).toEqual({ ok: true, count: fresh(first).length });
    const read = readBaseline(file, 'baseline.json');
    if (!read.ok) throw new Error(read.error);

    expect(fresh(applyBaseline(await run(), read.baseline).result)).toEqual([]);

    // Unrelated lines above move every finding down.
    const main = path.join(dir, 'main.tf');
    fs.writeFileSync(main, '# Exporters\n\nresource "aws_sqs_queue" "q" {\n  name = "q"\n}\n\n' + fs.readFileSync(main, 'utf8'));
    const moved = applyBaseline(await run(), read.baseline);
    expect(fresh(moved.result)).toEqual([]);
    expect(moved.stale).toBe(0);

    fs.appendFileSync(main, fn('newcomer', 'python3.13'));
    const added = applyBaseline(await run(), read.baseline);
    expect(fresh(added.result).map((f) => [f.ruleId, f.address])).toEqual([['lambda-ruby-only', 'aws_lambda_function.newcomer']]);
  });

  test('editing the offending line keeps the finding baselined; fixing it leaves a stale entry', async () => {
    const first = await run();
    const read = parseBaseline(formatBaseline(baselineEntries(first.findings)), 'b.json');
    if (!read.ok) throw new Error(read.error);
    const main = path.join(dir, 'main.tf');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('"python3.12"', '"python3.13"'));
    const edited = applyBaseline(await run(), read.baseline);
    expect(fresh(edited.result)).toEqual([]);
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('"python3.13"', '"ruby3.4"'));
    const fixed = applyBaseline(await run(), read.baseline);
    expect(fresh(fixed.result)).toEqual([]);
    expect(fixed.stale).toBe(1);
  });
});
