/**
 * Every output format on every fixture: SARIF valid against the official 2.1.0 schema and within
 * GitHub's requirements, JSON and graph JSON valid against their published schemas, GitHub
 * workflow commands well formed, Markdown and text produced without error.
 */
import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { lint, type LintRun } from '../src/lint';
import { format, FORMATS } from '../src/report/index';
import { renderGraph } from '../src/graph/render';
import { compileProjectSchema, compileSarifSchema } from './helpers/schemas';

const root = path.join(__dirname, '..', 'fixtures');
const dirs = fg.sync('**/expected.json', { cwd: root, dot: true }).map((f) => path.dirname(f)).sort();
const OPTS = { color: false, docsBaseUrl: 'https://example.test/docs/rules/', toolVersion: '0.0.0-test' };

const sarifSchema = compileSarifSchema();
const resultSchema = compileProjectSchema('result.schema.json');
const graphSchema = compileProjectSchema('graph.schema.json');

async function run(dir: string): Promise<LintRun> {
  const abs = path.join(root, dir);
  const exp = JSON.parse(fs.readFileSync(path.join(abs, 'expected.json'), 'utf8'));
  const args: string[] = Array.isArray(exp) ? [] : exp.args ?? [];
  const paths: string[] = Array.isArray(exp) ? ['plan.json'] : exp.paths ?? ['.'];
  const pick = (flag: string): string[] => args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
  return lint({ paths, cwd: abs, asOf: '2026-11-27', varFiles: pick('--var-file'), vars: pick('--var'), sourceDir: pick('--source')[0] });
}

describe.each(dirs)('%s', (dir) => {
  let result: LintRun;
  beforeAll(async () => {
    result = await run(dir);
  });

  test('SARIF: official schema and GitHub requirements', () => {
    const log = JSON.parse(format(result, 'sarif', { ...OPTS, readLines: result.lines }));
    expect(sarifSchema(log) ? [] : sarifSchema.errors).toEqual([]);
    const ruleIds = new Set(log.runs[0].tool.driver.rules.map((r: { id: string }) => r.id));
    for (const r of log.runs[0].results) {
      expect(ruleIds.has(r.ruleId)).toBe(true);
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(r.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]+:\d+$/);
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).not.toMatch(/^(\/|\.\.|[a-z]+:)/i);
      expect(fs.existsSync(path.join(result.cwd, decodeURIComponent(loc.artifactLocation.uri)))).toBe(true);
      expect(loc.region.startLine).toBeGreaterThanOrEqual(1);
      expect(loc.region.endLine).toBeGreaterThanOrEqual(loc.region.startLine);
      expect(r.locations[0].logicalLocations[0].fullyQualifiedName).toBe(r.locations[0].logicalLocations[0].fullyQualifiedName.trim());
    }
  });

  test('JSON: published schema', () => {
    const report = JSON.parse(format(result, 'json', OPTS));
    expect(resultSchema(report) ? [] : resultSchema.errors).toEqual([]);
  });

  test('GitHub workflow commands are well formed', () => {
    const out = format(result, 'github', OPTS);
    for (const line of out.split('\n').filter(Boolean)) expect(line).toMatch(/^::(error|warning|notice)( [^:]*)?::/);
  });

  test('text, markdown and the graph are produced', () => {
    for (const fmt of FORMATS) expect(() => format(result, fmt, { ...OPTS, readLines: result.lines, graph: result.graph })).not.toThrow();
    const graph = JSON.parse(renderGraph(result.model, result.graph, 'json', { cwd: result.cwd }));
    expect(graphSchema(graph) ? [] : graphSchema.errors).toEqual([]);
  });
});
