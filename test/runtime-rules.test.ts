import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Graph } from '../src/graph/graph';
import type { ModuleCall, Model, Resource } from '../src/model/model';
import { hclPointer, type SourcePointer } from '../src/model/source';
import { NULL, obj, str, unknown, type Value } from '../src/model/value';
import type { Finding, Rule, RuleContext, RuleOptions } from '../src/rule';
import outdatedRuntime from '../rules/lambda-outdated-runtime';
import rubyOnly, { matchesPattern } from '../rules/lambda-ruby-only';
import { daysBetween, isIsoDate, lookupRuntime, newestRuby, readTableData, runtimeTable, tableAsOf, tableProblems } from '../rules/runtime-table';
import { formatDiff, main, mergeRuntimes, parsePageDate, parseRuntimePage, tableJsonText } from '../scripts/refresh-runtimes';

const FILE = '/repo/main.tf';
const MODULE_FILE = '/repo/modules/worker/main.tf';
const TODAY = '2026-11-27';

interface LambdaOptions {
  mode?: 'managed' | 'data';
  type?: string;
  existence?: 'exists' | 'maybe';
  /** Put the function inside `module.<name>` (file modules/worker/main.tf, called from main.tf). */
  module?: string;
}

/** A Resource as the evaluator would build it, with pointers into a made-up file. */
function lambda(name: string, values: Record<string, Value>, o: LambdaOptions = {}): Resource {
  const mode = o.mode ?? 'managed';
  const type = o.type ?? 'aws_lambda_function';
  const file = o.module ? MODULE_FILE : FILE;
  const base = [mode === 'data' ? 'data' : 'resource', type, name];
  const moduleAddress = o.module ? `module.${o.module}` : '';
  const local = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
  const address = moduleAddress ? `${moduleAddress}.${local}` : local;
  const moduleChain: ModuleCall[] = o.module ? [{ address: moduleAddress, pointer: hclPointer(FILE, ['module', o.module]) }] : [];
  return {
    address,
    resourceAddress: address,
    moduleAddress,
    mode,
    type,
    name,
    existence: o.existence ?? 'exists',
    values: obj(values),
    pointer: hclPointer(file, base),
    attributePointer: (p) => hclPointer(file, [...base, ...p]),
    moduleChain,
    root: '/repo',
  };
}

function run(rule: Rule, resources: Resource[], asOf = TODAY, options: RuleOptions = {}): Finding[] {
  const model: Model = { resources, files: [FILE] };
  const findings: Finding[] = [];
  const ctx: RuleContext = {
    model,
    graph: new Graph(model),
    asOf,
    options,
    report: (f) => findings.push({ ...f, ruleId: rule.meta.id, level: f.level ?? rule.meta.defaultLevel }),
  };
  rule.check(ctx);
  return findings;
}

const runtimeOf = (id: string, extra: Record<string, Value> = {}) => lambda('fn', { function_name: str('fn'), runtime: str(id), ...extra });
const attrPointer = (...p: (string | number)[]): SourcePointer => hclPointer(FILE, ['resource', 'aws_lambda_function', 'fn', ...p]);
const blockPointer = hclPointer(FILE, ['resource', 'aws_lambda_function', 'fn']);

describe('runtime table', () => {
  test('carries its as-of date and loads cleanly', () => {
    expect(tableAsOf).toBe('2026-07-31');
    expect(tableProblems).toEqual([]);
    expect(runtimeTable.entries().length).toBe(54);
  });

  test('lookups are typed entries', () => {
    expect(lookupRuntime('ruby3.2')).toEqual({
      id: 'ruby3.2', language: 'Ruby', deprecation: '2026-03-31', block_create: '2027-02-01', block_update: '2027-03-03',
      valid_runtime_value: true, note: null,
    });
    expect(lookupRuntime('dotnet7')?.valid_runtime_value).toBe(false);
    expect(lookupRuntime('ruby9.9')).toBeUndefined();
  });

  test('newestRuby is the newest Ruby not deprecated on the date', () => {
    expect(newestRuby(TODAY)).toBe('ruby4.0');
    expect(newestRuby('2029-03-30')).toBe('ruby4.0');
    expect(newestRuby('2029-03-31')).toBeUndefined();
  });

  test('a damaged data file loses only its bad entries', () => {
    const { data, problems } = readTableData({
      asOf: '2026-07-31', source: 'x',
      runtimes: [{ id: 'ruby3.4', deprecation: '2028-03-31' }, { id: 'bad', deprecation: 'Mar 31' }, 42],
    });
    expect(data.runtimes.map((r) => r.id)).toEqual(['ruby3.4']);
    expect(data.runtimes[0]).toMatchObject({ block_create: null, valid_runtime_value: true });
    expect(problems).toHaveLength(2);
    expect(readTableData('nonsense').problems.length).toBeGreaterThan(0);
  });

  test('date helpers', () => {
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(daysBetween('2026-11-27', '2027-03-31')).toBe(124);
    expect(daysBetween('2027-03-31', '2027-03-30')).toBe(-1);
  });
});

describe('lambda-ruby-only', () => {
  test('metadata', () => {
    expect(rubyOnly.meta).toMatchObject({ id: 'lambda-ruby-only', name: 'LambdaRubyOnly', defaultLevel: 'error' });
    expect(rubyOnly.meta.tags).toContain('adr030');
    expect(rubyOnly.meta.adr).toContain('are written in Ruby');
  });

  test('a literal Ruby runtime passes', () => {
    expect(run(rubyOnly, [runtimeOf('ruby3.4')])).toEqual([]);
  });

  test('python3.12 is an error at the runtime attribute', () => {
    const [f, ...rest] = run(rubyOnly, [runtimeOf('python3.12')]);
    expect(rest).toEqual([]);
    expect(f.level).toBe('error');
    expect(f.address).toBe('aws_lambda_function.fn');
    expect(f.pointer).toEqual(attrPointer('runtime'));
    expect(f.related[0].pointer).toEqual(blockPointer);
    expect(f.message).toContain('uses runtime "python3.12";');
    expect(f.message).toContain('written in Ruby');
    expect(f.message).toContain('ruby4.0');
    expect(f.message).toContain('ECS Fargate');
  });

  test('a value supplied elsewhere is reported where it was supplied', () => {
    const origin = { pointer: hclPointer(FILE, ['module', 'worker', 'runtime']), via: 'module input' };
    const r = lambda('this', { runtime: str('python3.12', { origin }) }, { module: 'worker' });
    const [f] = run(rubyOnly, [r]);
    expect(f.address).toBe('module.worker.aws_lambda_function.this');
    expect(f.pointer).toEqual(origin.pointer);
    expect(f.message).toContain('runtime "python3.12" (from module input)');
    expect(f.related.map((x) => x.pointer)).toEqual([
      hclPointer(MODULE_FILE, ['resource', 'aws_lambda_function', 'this']),
      hclPointer(MODULE_FILE, ['resource', 'aws_lambda_function', 'this', 'runtime']),
      hclPointer(FILE, ['module', 'worker']),
    ]);
  });

  test('an origin that is the attribute itself names no "via"', () => {
    const origin = { pointer: attrPointer('runtime'), via: 'attribute' };
    const [f] = run(rubyOnly, [lambda('fn', { runtime: str('go1.x', { origin }) })]);
    expect(f.pointer).toEqual(attrPointer('runtime'));
    expect(f.message).not.toContain('(from');
    expect(f.related).toHaveLength(1);
  });

  test('an unknown runtime is a warning naming what it depends on', () => {
    const [f] = run(rubyOnly, [lambda('fn', { runtime: unknown('var.runtime (no value given)') })]);
    expect(f.level).toBe('warning');
    expect(f.message).toContain('could not determine the runtime: it depends on var.runtime (no value given)');
    expect(f.pointer).toEqual(attrPointer('runtime'));
  });

  test('an unknown package type with no runtime is a warning naming what it depends on', () => {
    const [f] = run(rubyOnly, [lambda('fn', { package_type: unknown('var.package_type (no value given)') })]);
    expect(f.level).toBe('warning');
    expect(f.message).toContain('it depends on var.package_type (no value given)');
    expect(f.pointer).toEqual(attrPointer('package_type'));
  });

  test('a container image function is a warning at package_type', () => {
    const [f] = run(rubyOnly, [lambda('fn', { package_type: str('Image'), image_uri: str('x.dkr.ecr/app:1') })]);
    expect(f.level).toBe('warning');
    expect(f.pointer).toEqual(attrPointer('package_type'));
    expect(f.message).toContain('cannot be verified');
  });

  test('a Zip function without a runtime is a warning at the block', () => {
    const cases: Record<string, Value>[] = [{ filename: str('fn.zip') }, { filename: str('fn.zip'), runtime: NULL }, { filename: str('fn.zip'), runtime: str('') }];
    for (const values of cases) {
      const [f] = run(rubyOnly, [lambda('fn', values)]);
      expect(f.level).toBe('warning');
      expect(f.pointer).toEqual(blockPointer);
      expect(f.related).toEqual([]);
      expect(f.message).toContain('sets no runtime');
    }
  });

  test('an OS-only runtime is not a Ruby runtime: error', () => {
    const [f] = run(rubyOnly, [runtimeOf('provided.al2023')]);
    expect(f.level).toBe('error');
    expect(f.message).toContain('"provided.al2023"');
  });

  test('maybe-existing functions are linted; data sources and other types are not', () => {
    const maybe = lambda('maybe', { runtime: str('nodejs22.x') }, { existence: 'maybe' });
    const data = lambda('other', { runtime: str('python3.12') }, { mode: 'data' });
    const layer = lambda('layer', { compatible_runtimes: str('python3.12') }, { type: 'aws_lambda_layer_version' });
    const findings = run(rubyOnly, [maybe, data, layer]);
    expect(findings.map((f) => f.address)).toEqual(['aws_lambda_function.maybe']);
  });

  test('allowedRuntimes replaces the default patterns', () => {
    expect(run(rubyOnly, [runtimeOf('python3.12')], TODAY, { allowedRuntimes: ['ruby*', 'python3.1?', 'python3.12'] })).toEqual([]);
    expect(run(rubyOnly, [runtimeOf('ruby3.3')], TODAY, { allowedRuntimes: ['ruby3.4'] })).toHaveLength(1);
    // A malformed option falls back to the default.
    expect(run(rubyOnly, [runtimeOf('ruby3.3')], TODAY, { allowedRuntimes: 'ruby3.4' })).toEqual([]);
    expect(matchesPattern('Ruby3.4', 'ruby*')).toBe(true);
    expect(matchesPattern('ruby3x4', 'ruby3.4')).toBe(false);
  });
});

describe('lambda-outdated-runtime', () => {
  test('metadata', () => {
    expect(outdatedRuntime.meta).toMatchObject({ id: 'lambda-outdated-runtime', name: 'LambdaOutdatedRuntime', defaultLevel: 'error' });
    expect(outdatedRuntime.meta.tags).toContain('adr030');
    expect(outdatedRuntime.meta.adr).toContain('updating language runtimes');
  });

  test('a current runtime passes', () => {
    expect(run(outdatedRuntime, [runtimeOf('ruby3.4')])).toEqual([]);
    expect(run(outdatedRuntime, [runtimeOf('python3.12')])).toEqual([]);
  });

  test('ruby3.2 after its deprecation date is an error saying what is blocked and when', () => {
    const [f, ...rest] = run(outdatedRuntime, [runtimeOf('ruby3.2')]);
    expect(rest).toEqual([]);
    expect(f.level).toBe('error');
    expect(f.pointer).toEqual(attrPointer('runtime'));
    expect(f.message).toContain('reached end of standard support on 2026-03-31');
    expect(f.message).toContain('creating functions with it will be blocked from 2027-02-01');
    expect(f.message).toContain('updating functions that use it will be blocked from 2027-03-03');
    expect(f.message).toContain('per the runtime table as of 2026-07-31');
    expect(f.message).toContain('Move it to ruby4.0');
  });

  test('once blocked, the error says since when', () => {
    const [f] = run(outdatedRuntime, [runtimeOf('ruby3.2')], '2027-03-03');
    expect(f.message).toContain('has been blocked since 2027-02-01');
    expect(f.message).toContain('has been blocked since 2027-03-03');
  });

  test('dates that were already past when the table was taken are not hedged', () => {
    const [f] = run(outdatedRuntime, [runtimeOf('nodejs')]);
    expect(f.level).toBe('error');
    expect(f.message).toContain('reached end of standard support on 2016-08-30');
    expect(f.message).not.toContain('per the runtime table');
  });

  test('creation blocked before end of support is already an error', () => {
    const [f] = run(outdatedRuntime, [runtimeOf('dotnetcore2.0')], '2019-05-01');
    expect(f.level).toBe('error');
    expect(f.message).toContain('ends standard support on 2019-05-30');
    expect(f.message).toContain('creating functions with it has been blocked since 2019-04-30');
  });

  test('ruby3.3 inside the warning window is a note with the days left', () => {
    const [f] = run(outdatedRuntime, [runtimeOf('ruby3.3')]);
    expect(f.level).toBe('note');
    expect(f.message).toContain('reaches end of standard support on 2027-03-31 (in 124 days)');
    expect(f.message).toContain('ruby4.0');
    expect(f.message).toContain('per the runtime table as of 2026-07-31');
  });

  test('warningDays narrows the window; a bad value keeps the default', () => {
    expect(run(outdatedRuntime, [runtimeOf('ruby3.3')], TODAY, { warningDays: 100 })).toEqual([]);
    expect(run(outdatedRuntime, [runtimeOf('ruby3.3')], TODAY, { warningDays: 'soon' })).toHaveLength(1);
    expect(run(outdatedRuntime, [runtimeOf('ruby3.3')], TODAY, { warningDays: 0 })).toEqual([]);
  });

  test('edge days: the deprecation day is deprecated, the day before is a note, the window is inclusive', () => {
    expect(run(outdatedRuntime, [runtimeOf('ruby3.3')], '2027-03-31').map((f) => f.level)).toEqual(['error']);
    const [dayBefore] = run(outdatedRuntime, [runtimeOf('ruby3.3')], '2027-03-30');
    expect(dayBefore.level).toBe('note');
    expect(dayBefore.message).toContain('(in 1 day)');
    expect(run(outdatedRuntime, [runtimeOf('ruby3.3')], '2026-10-02').map((f) => f.message)).toEqual([expect.stringContaining('(in 180 days)')]);
    expect(run(outdatedRuntime, [runtimeOf('ruby3.3')], '2026-10-01')).toEqual([]);
  });

  test('an identifier the table does not know is a warning', () => {
    const [f] = run(outdatedRuntime, [runtimeOf('ruby9.9')]);
    expect(f.level).toBe('warning');
    expect(f.message).toContain('unknown runtime identifier "ruby9.9"');
    expect(f.message).toContain('as of 2026-07-31');
  });

  test('a container-image-only identifier is a warning that explains why', () => {
    const [f] = run(outdatedRuntime, [runtimeOf('dotnet7')]);
    expect(f.level).toBe('warning');
    expect(f.message).toContain('unknown runtime identifier "dotnet7"');
    expect(f.message).toContain('container base image');
  });

  test('unknown, missing and image runtimes are left to lambda-ruby-only', () => {
    const resources = [
      lambda('a', { runtime: unknown('var.runtime (no value given)') }),
      lambda('b', { filename: str('b.zip') }),
      lambda('c', { package_type: str('Image'), runtime: str('ruby2.5') }),
    ];
    expect(run(outdatedRuntime, resources)).toEqual([]);
  });

  test('reports at the origin of the value', () => {
    const origin = { pointer: hclPointer('/repo/terraform.tfvars', ['runtime']), via: 'terraform.tfvars' };
    const [f] = run(outdatedRuntime, [lambda('fn', { runtime: str('ruby3.2', { origin }) })]);
    expect(f.pointer).toEqual(origin.pointer);
    expect(f.message).toContain('"ruby3.2" (from terraform.tfvars)');
    expect(f.related.map((x) => x.pointer)).toEqual([blockPointer, attrPointer('runtime')]);
  });

  test('an --as-of that is not a date judges nothing', () => {
    expect(run(outdatedRuntime, [runtimeOf('ruby3.2')], 'yesterday')).toEqual([]);
  });
});

describe('refresh-runtimes', () => {
  const fixture = path.join(__dirname, 'fixtures-data', 'lambda-runtimes-page.html');
  const html = fs.readFileSync(fixture, 'utf8');

  test('parses the runtime tables of the page', () => {
    const page = parseRuntimePage(html);
    expect(page.tables).toBe(2);
    expect(page.runtimes.map((r) => r.id)).toEqual(['ruby4.1', 'ruby3.4', 'ruby3.3', 'dotnet9', 'provided.al2023', 'ruby3.2', 'nodejs4.3-edge']);
    const byId = new Map(page.runtimes.map((r) => [r.id, r]));
    expect(byId.get('ruby4.1')).toMatchObject({ name: 'Ruby 4.1', deprecation: null, block_create: null, block_update: null, containerOnly: false });
    // The row under a rowspan cell keeps its columns.
    expect(byId.get('ruby3.4')).toMatchObject({ deprecation: '2028-03-31', block_create: '2028-04-30', block_update: '2028-05-31' });
    // A footnote marker does not disturb the date.
    expect(byId.get('ruby3.3')?.deprecation).toBe('2027-06-30');
    expect(byId.get('dotnet9')?.containerOnly).toBe(true);
    expect(byId.get('nodejs4.3-edge')).toMatchObject({ deprecation: '2020-03-05', block_create: '2019-03-31' });
    expect(page.problems).toEqual([expect.stringContaining('no runtime identifier in "(see note)"')]);
  });

  test('a header row written with td cells is recognised too', () => {
    const page = parseRuntimePage(`<table><tr><td>Name</td><td>Identifier</td><td>Deprecation date</td><td>Block function create</td><td>Block function update</td></tr>
      <tr><td>Ruby 5.0</td><td>ruby5.0</td><td>Jan 5, 2031</td><td>Feb 5, 2031</td><td>Mar 5, 2031</td></tr></table>`);
    expect(page.runtimes).toEqual([{ id: 'ruby5.0', name: 'Ruby 5.0', deprecation: '2031-01-05', block_create: '2031-02-05', block_update: '2031-03-05', containerOnly: false }]);
  });

  test('date cells', () => {
    expect(parsePageDate('Mar 31, 2027')).toEqual({ date: '2027-03-31', unreadable: false });
    expect(parsePageDate('September 1, 2025')).toEqual({ date: '2025-09-01', unreadable: false });
    expect(parsePageDate('Sept. 1, 2025').date).toBe('2025-09-01');
    expect(parsePageDate('Not scheduled')).toEqual({ date: null, unreadable: false });
    expect(parsePageDate('')).toEqual({ date: null, unreadable: false });
    expect(parsePageDate('Feb 30, 2027')).toEqual({ date: null, unreadable: true });
  });

  test('merging reports added, changed, kept and (with prune) removed runtimes', () => {
    const page = parseRuntimePage(html).runtimes;
    const kept = mergeRuntimes(runtimeTable.data, page, { asOf: '2026-12-01', source: 's', prune: false });
    expect(kept.diff.added.map((r) => r.id)).toEqual(['ruby4.1']);
    expect(kept.diff.added[0]).toMatchObject({ language: 'Ruby', valid_runtime_value: true });
    expect(kept.diff.changed).toEqual([
      { id: 'ruby3.3', changes: [
        { field: 'deprecation', from: '2027-03-31', to: '2027-06-30' },
        { field: 'block_create', from: '2027-04-30', to: '2027-07-31' },
        { field: 'block_update', from: '2027-05-31', to: '2027-08-31' },
      ] },
    ]);
    expect(kept.diff.removed).toEqual([]);
    expect(kept.data.runtimes).toHaveLength(55);
    expect(kept.data.asOf).toBe('2026-12-01');
    expect(kept.data.runtimes.find((r) => r.id === 'dotnet9')).toMatchObject({ valid_runtime_value: false });
    const pruned = mergeRuntimes(runtimeTable.data, page, { asOf: '2026-12-01', source: 's', prune: true });
    expect(pruned.diff.removed).toContain('ruby2.5');
    expect(pruned.data.runtimes).toHaveLength(7);
    const summary = formatDiff(kept.diff, '2026-07-31', '2026-12-01', 55);
    expect(summary).toContain('added (1)');
    expect(summary).toContain('ruby3.3: deprecation 2027-03-31 -> 2027-06-30');
    expect(summary).toContain('removed (0)');
  });

  test('the rewritten file keeps the committed shape and reads back', () => {
    const text = tableJsonText(runtimeTable.data);
    const committed = fs.readFileSync(path.join(__dirname, '..', 'rules', 'data', 'lambda-runtimes.json'), 'utf8');
    expect(text).toBe(committed);
  });

  describe('command line (saved copy, no network)', () => {
    let dir: string;
    let out: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-runtimes-'));
      out = path.join(dir, 'lambda-runtimes.json');
      fs.writeFileSync(out, tableJsonText(runtimeTable.data));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const io = () => {
      const lines = { out: [] as string[], err: [] as string[] };
      return { lines, io: { out: (t: string) => lines.out.push(t), err: (t: string) => lines.err.push(t) } };
    };

    test('rewrites the data file with the new stamp and prints the summary', async () => {
      const { lines, io: sink } = io();
      expect(await main(['--from', fixture, '--out', out, '--as-of', '2026-12-01'], sink)).toBe(0);
      const { data, problems } = readTableData(JSON.parse(fs.readFileSync(out, 'utf8')));
      expect(problems).toEqual([]);
      expect(data.asOf).toBe('2026-12-01');
      expect(data.source).toContain('saved copy lambda-runtimes-page.html');
      expect(data.runtimes.find((r) => r.id === 'ruby4.1')).toBeDefined();
      expect(lines.out.join('\n')).toContain('added (1)');
      expect(lines.err.join('\n')).toContain('no runtime identifier');
    });

    test('--dry-run writes nothing', async () => {
      const before = fs.readFileSync(out, 'utf8');
      expect(await main(['--from', fixture, '--out', out, '--dry-run'], io().io)).toBe(0);
      expect(fs.readFileSync(out, 'utf8')).toBe(before);
    });

    test('a page without runtime tables leaves the file alone', async () => {
      const empty = path.join(dir, 'empty.html');
      fs.writeFileSync(empty, '<html><body><table><tr><th>a</th></tr></table></body></html>');
      const before = fs.readFileSync(out, 'utf8');
      const { lines, io: sink } = io();
      expect(await main(['--from', empty, '--out', out], sink)).toBe(1);
      expect(fs.readFileSync(out, 'utf8')).toBe(before);
      expect(lines.err.join('\n')).toContain('unchanged');
    });

    test('usage errors', async () => {
      expect(await main(['--bogus'], io().io)).toBe(2);
      expect(await main(['--as-of', '31/12/2026'], io().io)).toBe(2);
      expect(await main(['--from', path.join(dir, 'missing.html'), '--out', out], io().io)).toBe(1);
    });
  });
});
