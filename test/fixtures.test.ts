/**
 * Fixture-driven tests: every expected.json under fixtures/ names the findings (rule, level, address,
 * file, line) its directory must produce — all of them, so an extra finding fails as surely as a
 * missing one — plus the exit code and the input problems. A fixture that lists `suppressed`
 * ({rule, address, kind}) has its suppressed findings checked against that list, and `findings`
 * then names the unsuppressed ones only.
 */
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { runCli } from './helpers/run-cli';

interface ExpectedFinding { rule: string; level?: string; address: string; file?: string; line?: number }
interface ExpectedSuppressed { rule: string; address: string; kind: 'inSource' | 'external' }
interface ReportFinding { ruleId: string; level: string; address: string; location: { file: string; startLine: number }; suppression?: { kind: string } }
interface Expected {
  description?: string;
  args?: string[];
  paths?: string[];
  asOf?: string;
  exitCode?: number;
  findings: ExpectedFinding[];
  diagnostics?: { level: string; file?: string; line?: number }[];
  suppressed?: ExpectedSuppressed[];
}

const root = path.join(__dirname, '..', 'fixtures');
const cases = fg.sync('**/expected.json', { cwd: root, dot: true, ignore: ['**/node_modules/**'] }).sort();

function load(file: string): Expected {
  const raw = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
  // Plan fixtures may list findings alone; they lint the plan.json beside them.
  return Array.isArray(raw) ? { findings: raw, paths: ['plan.json'] } : raw;
}

function key(f: ExpectedFinding, withPlace: boolean): string {
  return [f.rule, f.level ?? '', f.address, withPlace ? f.file ?? '' : '', withPlace ? f.line ?? '' : ''].join(' | ');
}

describe('fixtures', () => {
  test('there are fixtures', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases)('%s', async (file) => {
    const exp = load(file);
    const dir = path.join(root, path.dirname(file));
    const args = [...(exp.paths ?? ['.']), '--format', 'json', '--as-of', exp.asOf ?? '2026-11-27', ...(exp.args ?? [])];
    const run = await runCli(args, dir);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    const withPlace = exp.findings.every((f) => f.file !== undefined && f.line !== undefined);
    const withLevel = exp.findings.every((f) => f.level !== undefined);
    const listed: ReportFinding[] = exp.suppressed ? report.findings.filter((f: ReportFinding) => !f.suppression) : report.findings;
    const actual = listed.map((f) =>
      key({ rule: f.ruleId, level: withLevel ? f.level : undefined, address: f.address, file: f.location.file, line: f.location.startLine }, withPlace));
    expect(actual.sort()).toEqual(exp.findings.map((f) => key(f, withPlace)).sort());
    if (exp.suppressed) {
      const suppressed = report.findings.filter((f: ReportFinding) => f.suppression).map((f: ReportFinding) => [f.ruleId, f.address, f.suppression!.kind].join(' | '));
      expect(suppressed.sort()).toEqual(exp.suppressed.map((f) => [f.rule, f.address, f.kind].join(' | ')).sort());
    }
    if (exp.diagnostics) {
      for (const d of exp.diagnostics) {
        const hit = report.diagnostics.find((x: { level: string; file?: string; line?: number }) =>
          x.level === d.level && (d.file === undefined || x.file === d.file) && (d.line === undefined || x.line === d.line));
        expect({ wanted: d, hit: !!hit, got: report.diagnostics }).toMatchObject({ hit: true });
      }
    }
    if (exp.exitCode !== undefined) expect(run.code).toBe(exp.exitCode);
  });
});
