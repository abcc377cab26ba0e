/**
 * The same scenario as Terraform source and as a plan gives the same findings at the same .tf
 * lines: one model, one set of rules, whichever input.
 */
import * as path from 'path';
import { runCli } from './helpers/run-cli';

const scenarios = ['basic', 'modules', 'sensitive', 'unknowns', 'v0.1', 'minified'];

async function findings(dir: string, target: string): Promise<string[]> {
  const run = await runCli([target, '--format', 'json', '--as-of', '2026-11-27'], dir);
  const report = JSON.parse(run.stdout);
  return report.findings.map((f: { ruleId: string; address: string; location: { file: string; startLine: number } }) => `${f.ruleId} ${f.address} ${f.location.file}:${f.location.startLine}`).sort();
}

test.each(scenarios)('%s: source and plan agree', async (name) => {
  const dir = path.join(__dirname, '..', 'fixtures', 'plan', name);
  const fromSource = await findings(dir, '.');
  const fromPlan = await findings(dir, 'plan.json');
  expect(fromPlan.length).toBeGreaterThan(0);
  expect(fromPlan).toEqual(fromSource);
});

test('a plan whose source is elsewhere is pointed at it with --source', async () => {
  const fixture = path.join(__dirname, '..', 'fixtures', 'plan', 'modules');
  const run = await runCli([path.join(fixture, 'plan.json'), '--source', fixture, '--format', 'json', '--as-of', '2026-11-27'], path.join(__dirname, '..'));
  const report = JSON.parse(run.stdout);
  expect(report.findings.every((f: { location: { file: string } }) => f.location.file.endsWith('.tf'))).toBe(true);
});

test('without source at hand, plan findings point into the plan with real lines', async () => {
  const fixture = path.join(__dirname, '..', 'fixtures', 'plan', 'modules');
  const run = await runCli([path.join(fixture, 'plan.json'), '--source', path.join(__dirname, 'schemas'), '--format', 'json', '--as-of', '2026-11-27'], path.join(__dirname, '..'));
  const report = JSON.parse(run.stdout);
  expect(report.findings.length).toBeGreaterThan(0);
  for (const f of report.findings) {
    expect(f.location.file).toBe('fixtures/plan/modules/plan.json');
    expect(f.location.startLine).toBeGreaterThan(1);
  }
});

test('sensitive values decide but never appear in any output', async () => {
  const dir = path.join(__dirname, '..', 'fixtures', 'plan', 'sensitive');
  for (const format of ['text', 'json', 'sarif', 'github', 'markdown']) {
    const run = await runCli(['plan.json', '--format', format, '--as-of', '2026-11-27'], dir);
    expect(run.stdout.length).toBeGreaterThan(0);
    expect(run.stdout + run.stderr).not.toMatch(/s3cr3t|tok_live/);
  }
  const graph = await runCli(['graph', 'plan.json', '--format', 'json'], dir);
  expect(graph.stdout).not.toMatch(/s3cr3t|tok_live/);
});
