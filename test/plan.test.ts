import * as fs from 'fs';
import * as path from 'path';
import { Graph } from '../src/graph/graph';
import type { Resource } from '../src/model/model';
import { collectRefs, getPath, refKey, type Value } from '../src/model/value';
import { classifyJson, detectPlan, isPlanJson } from '../src/plan/detect';
import { mostSpecific, parseModuleAddress, parseResourceAddress, parseTraversal } from '../src/plan/expressions';
import { isSensitive, loadPlan, sensitivePaths, type PlanLoad } from '../src/plan/load';
import { formatJsonPath } from '../src/plan/schema';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function fixture(scenario: string): { file: string; text: string } {
  const file = path.join(FIXTURES, 'plan', scenario, 'plan.json');
  return { file, text: fs.readFileSync(file, 'utf8') };
}

function loadFixture(scenario: string): PlanLoad {
  const { file, text } = fixture(scenario);
  return loadPlan(file, text);
}

function byAddress(load: PlanLoad, address: string): Resource {
  const r = load.model.resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address} in ${load.model.resources.map((x) => x.address).join(', ')}`);
  return r;
}

function at(r: Resource, ...p: (string | number)[]): Value | undefined {
  return getPath(r.values, p);
}

function refsAt(r: Resource, ...p: (string | number)[]): string[] {
  const v = at(r, ...p);
  return (v?.marks?.refs ?? []).map(refKey);
}

/** A minimal valid plan around the given parts, for cases no fixture has. */
function synthetic(parts: Record<string, unknown>): PlanLoad {
  return loadPlan('/tmp/synthetic.json', JSON.stringify({ format_version: '1.2', ...parts }));
}

describe('basic plan (root Lambdas)', () => {
  const load = loadFixture('basic');

  test('reads every resource with its values and no diagnostics', () => {
    expect(load.diagnostics).toEqual([]);
    expect(load.model.files).toEqual([fixture('basic').file]);
    expect(load.model.resources.map((r) => r.address).sort()).toEqual([
      'aws_lambda_function.legacy',
      'aws_lambda_function.python',
      'aws_lambda_function.ruby',
    ]);
    const py = byAddress(load, 'aws_lambda_function.python');
    expect(py).toMatchObject({
      resourceAddress: 'aws_lambda_function.python',
      moduleAddress: '',
      mode: 'managed',
      type: 'aws_lambda_function',
      name: 'python',
      existence: 'exists',
      root: fixture('basic').file,
      moduleChain: [],
    });
    expect(py.key).toBeUndefined();
    expect(at(py, 'runtime')).toEqual({ kind: 'string', value: 'python3.12' });
    expect(at(byAddress(load, 'aws_lambda_function.legacy'), 'runtime')).toMatchObject({ value: 'ruby3.2' });
    expect(at(py, 'timeout')).toEqual({ kind: 'number', value: 30 });
    expect(at(py, 'vpc_config')).toEqual({ kind: 'list', items: [] });
    expect(at(py, 'description')).toEqual({ kind: 'null' });
  });

  test('after_unknown leaves are Unknown with the address and path in the reason', () => {
    const py = byAddress(load, 'aws_lambda_function.python');
    expect(at(py, 'invoke_arn')).toEqual({ kind: 'unknown', reason: 'aws_lambda_function.python.invoke_arn (known after apply)' });
    expect(at(py, 'logging_config')).toMatchObject({ kind: 'unknown' });
  });

  test('pointers name the resource_changes entry and the attribute inside change.after', () => {
    const py = byAddress(load, 'aws_lambda_function.python');
    const i = JSON.parse(fixture('basic').text).resource_changes.findIndex((rc: { address: string }) => rc.address === py.address);
    expect(py.pointer).toEqual({ file: fixture('basic').file, path: ['resource_changes', i], kind: 'json' });
    expect(py.attributePointer(['runtime']).path).toEqual(['resource_changes', i, 'change', 'after', 'runtime']);
    // Only in after_unknown: there is no JSON value to point at, so the resource entry is used.
    expect(py.attributePointer(['invoke_arn']).path).toEqual(['resource_changes', i]);
    expect(py.attributePointer(['no_such_attribute']).path).toEqual(['resource_changes', i]);
  });

  test('the configuration index maps root resources to their relative address', () => {
    const entry = load.configuration.resources.get('aws_lambda_function.ruby');
    expect(entry).toMatchObject({ relativeAddress: 'aws_lambda_function.ruby', moduleCalls: [] });
    expect(entry?.configPointer?.path).toEqual(['configuration', 'root_module', 'resources', 2]);
  });
});

describe('modules plan (for_each and count module calls, outputs, nested module)', () => {
  const load = loadFixture('modules');
  const nightly = 'module.jobs["nightly"].aws_lambda_function.this';

  test('addresses keep module and resource instance keys', () => {
    expect(load.diagnostics).toEqual([]);
    const lambdas = load.model.resources.filter((r) => r.type === 'aws_lambda_function').map((r) => r.address).sort();
    expect(lambdas).toEqual([
      'module.jobs["hourly"].aws_lambda_function.this',
      'module.jobs["nightly"].aws_lambda_function.this',
      'module.legacy[0].aws_lambda_function.this',
    ]);
    const alias = byAddress(load, 'module.jobs["nightly"].aws_lambda_alias.this["live"]');
    expect(alias).toMatchObject({
      resourceAddress: 'module.jobs["nightly"].aws_lambda_alias.this',
      moduleAddress: 'module.jobs["nightly"]',
      key: 'live',
      name: 'this',
    });
    const target = byAddress(load, 'module.legacy[0].module.schedule.aws_cloudwatch_event_target.this');
    expect(target.moduleAddress).toBe('module.legacy[0].module.schedule');
  });

  test('runtime values come from the module inputs as planned', () => {
    expect(at(byAddress(load, nightly), 'runtime')).toMatchObject({ value: 'ruby3.4' });
    expect(at(byAddress(load, 'module.jobs["hourly"].aws_lambda_function.this'), 'runtime')).toMatchObject({ value: 'python3.12' });
    expect(at(byAddress(load, 'module.legacy[0].aws_lambda_function.this'), 'runtime')).toMatchObject({ value: 'ruby3.2' });
    expect(at(byAddress(load, 'module.legacy[0].aws_lambda_function.this'), 'function_name')).toMatchObject({ value: 'legacy-0' });
  });

  test('moduleChain lists the module calls with pointers into the configuration', () => {
    const target = byAddress(load, 'module.jobs["hourly"].module.schedule.aws_cloudwatch_event_target.this');
    expect(target.moduleChain.map((m) => m.address)).toEqual(['module.jobs["hourly"]', 'module.jobs["hourly"].module.schedule']);
    expect(target.moduleChain[1].pointer.path).toEqual([
      'configuration', 'root_module', 'module_calls', 'jobs', 'module', 'module_calls', 'schedule',
    ]);
  });

  test('a reference to a module output resolves to the resource behind it, in that instance', () => {
    const integration = byAddress(load, 'aws_apigatewayv2_integration.nightly');
    // integration_uri is unknown until apply; the Unknown carries the link.
    expect(at(integration, 'integration_uri')).toMatchObject({ kind: 'unknown' });
    expect(refsAt(integration, 'integration_uri')).toEqual([`${nightly}.invoke_arn`]);
    expect(refsAt(integration, 'api_id')).toEqual(['aws_apigatewayv2_api.http.id']);
  });

  test('module inputs are followed up to the caller, also two levels deep and to keyed resources', () => {
    for (const inst of ['module.jobs["hourly"]', 'module.jobs["nightly"]', 'module.legacy[0]']) {
      expect(refsAt(byAddress(load, `${inst}.aws_lambda_function.this`), 'role')).toEqual(['aws_iam_role.lambda.arn']);
      // target_arn = aws_lambda_alias.this["live"].arn in the caller, passed in as var.target_arn
      expect(refsAt(byAddress(load, `${inst}.module.schedule.aws_cloudwatch_event_target.this`), 'arn')).toEqual([
        `${inst}.aws_lambda_alias.this["live"].arn`,
      ]);
    }
    expect(refsAt(byAddress(load, `${nightly.replace('aws_lambda_function.this', 'aws_lambda_alias.this["canary"]')}`), 'function_name'))
      .toEqual([`${nightly}.function_name`]);
  });

  test('a reference through a local cannot be followed: no refs are recorded', () => {
    const legacy = byAddress(load, 'aws_apigatewayv2_integration.legacy');
    expect(refsAt(legacy, 'integration_uri')).toEqual([]);
    expect(refsAt(legacy, 'api_id')).toEqual(['aws_apigatewayv2_api.http.id']);
  });

  test('the graph built from the model links the front door to the Lambda', () => {
    const graph = new Graph(load.model);
    const fn = byAddress(load, nightly);
    const from = graph.referrers(fn).map((e) => `${e.from.address} ${e.fromPath.join('.')}`);
    expect(from).toContain('aws_apigatewayv2_integration.nightly integration_uri');
    expect(from).toContain('module.jobs["nightly"].aws_lambda_alias.this["live"] function_name');
  });

  test('the configuration index gives the module call chain with sources', () => {
    const entry = load.configuration.resources.get('module.jobs["nightly"].module.schedule.aws_cloudwatch_event_rule.this');
    expect(entry).toMatchObject({
      relativeAddress: 'aws_cloudwatch_event_rule.this',
      moduleCalls: [
        { name: 'jobs', key: 'nightly', address: 'module.jobs["nightly"]', source: './modules/worker' },
        { name: 'schedule', address: 'module.jobs["nightly"].module.schedule', source: '../schedule' },
      ],
    });
    expect(entry?.configPointer?.path.slice(0, 7)).toEqual([
      'configuration', 'root_module', 'module_calls', 'jobs', 'module', 'module_calls', 'schedule',
    ]);
    expect(load.configuration.resources.get('module.legacy[0].aws_lambda_function.this')?.moduleCalls[0]).toMatchObject({ key: 0 });
    expect(load.configuration.resources.size).toBe(load.model.resources.length);
  });
});

describe('minified plan', () => {
  test('reads the same model as the pretty-printed plan of the same configuration', () => {
    const pretty = loadFixture('modules');
    const mini = loadFixture('minified');
    expect(fixture('minified').text.trim().split('\n')).toHaveLength(1);
    expect(mini.diagnostics).toEqual([]);
    const summary = (l: PlanLoad) => l.model.resources.map((r) => ({
      address: r.address,
      key: r.key,
      pointer: r.pointer.path,
      refs: collectRefs(r.values).map(refKey),
      runtime: r.values.entries.get('runtime'),
    }));
    expect(summary(mini)).toEqual(summary(pretty));
  });
});

describe('unknowns plan (values known after apply)', () => {
  const load = loadFixture('unknowns');
  const fn = () => byAddress(load, 'aws_lambda_function.worker');

  test('an attribute only in after_unknown becomes an Unknown that carries the configured refs', () => {
    expect(at(fn(), 'vpc_config', 0, 'security_group_ids')).toMatchObject({
      kind: 'unknown',
      reason: 'aws_lambda_function.worker.vpc_config[0].security_group_ids (known after apply)',
    });
    expect(refsAt(fn(), 'vpc_config', 0, 'security_group_ids')).toEqual(['aws_security_group.fn.id']);
    expect(at(fn(), 'vpc_config', 0, 'subnet_ids')).toEqual({ kind: 'list', items: [{ kind: 'string', value: 'subnet-0123456789abcdef0' }] });
    expect(refsAt(fn(), 'role')).toEqual(['aws_iam_role.fn.arn']);
    expect(at(fn(), 'environment', 0, 'variables')).toMatchObject({ kind: 'unknown' });
    expect(refsAt(fn(), 'environment', 0, 'variables')).toEqual(['aws_db_instance.main.address']);
  });

  test('attribute pointers point into change.after only where the plan has a value', () => {
    const r = fn();
    expect(r.attributePointer(['vpc_config', 0, 'subnet_ids']).path.slice(-5)).toEqual(['change', 'after', 'vpc_config', 0, 'subnet_ids']);
    expect(r.attributePointer(['vpc_config', 0, 'security_group_ids']).path).toEqual(r.pointer.path);
  });

  test('legacy attribute-as-block (security group ingress) carries refs on the whole list', () => {
    const db = byAddress(load, 'aws_security_group.db');
    expect(at(db, 'ingress')).toMatchObject({ kind: 'list' });
    expect(refsAt(db, 'ingress')).toEqual(['aws_security_group.fn.id']);
    expect(at(db, 'ingress', 1, 'security_groups')).toMatchObject({ kind: 'unknown' });
  });

  test('data sources: read during apply (resource_changes) and read during plan (prior_state)', () => {
    const deferred = byAddress(load, 'data.aws_iam_policy_document.db_connect');
    expect(deferred).toMatchObject({ mode: 'data', type: 'aws_iam_policy_document', resourceAddress: 'data.aws_iam_policy_document.db_connect' });
    expect(at(deferred, 'json')).toMatchObject({ kind: 'unknown' });
    expect(at(deferred, 'statement', 0, 'resources', 0)).toMatchObject({ kind: 'unknown' });
    expect(refsAt(deferred, 'statement', 0, 'resources')).toEqual(['aws_db_instance.main.arn']);
    const read = byAddress(load, 'data.aws_iam_policy_document.static');
    expect(read.mode).toBe('data');
    expect(read.pointer.path).toEqual(['prior_state', 'values', 'root_module', 'resources', 0]);
    expect(at(read, 'statement', 0, 'actions', 0)).toMatchObject({ value: 'sqs:SendMessage' });
    expect(read.attributePointer(['json']).path).toEqual(['prior_state', 'values', 'root_module', 'resources', 0, 'values', 'json']);
    const policy = byAddress(load, 'aws_iam_role_policy.db_connect');
    expect(refsAt(policy, 'policy')).toEqual(['data.aws_iam_policy_document.db_connect.json']);
  });

  test('jsonencode() shows as {} in configuration; the rendered string comes from the plan values', () => {
    const role = byAddress(load, 'aws_iam_role.fn');
    const policy = at(role, 'assume_role_policy');
    expect(policy?.kind).toBe('string');
    expect(JSON.parse((policy as { value: string }).value)).toMatchObject({ Version: '2012-10-17' });
  });
});

describe('sensitive plan', () => {
  const load = loadFixture('sensitive');

  test('sensitive values are kept for decisions and flagged for output', () => {
    const worker = byAddress(load, 'aws_lambda_function.worker');
    expect(at(worker, 'environment', 0, 'variables', 'DATABASE_URL')).toMatchObject({ kind: 'string' });
    expect(isSensitive(worker, ['environment', 0, 'variables'])).toBe(true);
    expect(isSensitive(worker, ['environment', 0, 'variables', 'LOG_LEVEL'])).toBe(true);
    expect(isSensitive(worker, ['environment'])).toBe(true); // printing it would print the variables
    expect(isSensitive(worker, [])).toBe(true);
    expect(isSensitive(worker, ['runtime'])).toBe(false);
    expect(sensitivePaths(worker)).toEqual([['environment', 0, 'variables']]);
  });

  test('only the sensitive map entry is flagged when the rest is not', () => {
    const partly = byAddress(load, 'aws_lambda_function.partly');
    expect(isSensitive(partly, ['environment', 0, 'variables', 'API_TOKEN'])).toBe(true);
    expect(isSensitive(partly, ['environment', 0, 'variables', 'LOG_LEVEL'])).toBe(false);
    expect(isSensitive(partly, ['environment', 0, 'variables'])).toBe(true);
    expect(isSensitive(partly, ['runtime'])).toBe(false);
    // Root variables carry no resource refs.
    expect(refsAt(partly, 'environment', 0, 'variables')).toEqual([]);
  });

  test('the flags survive a copy of the Resource object', () => {
    const worker = byAddress(load, 'aws_lambda_function.worker');
    const copy = { ...worker, pointer: { ...worker.pointer, path: [] } };
    expect(isSensitive(copy, ['environment', 0, 'variables'])).toBe(true);
  });
});

describe('deletion plan (hand-edited)', () => {
  const load = loadFixture('deletion');

  test('deleted resources and deposed objects are not in the model; replacements and no-ops are', () => {
    expect(load.diagnostics).toEqual([]);
    expect(load.model.resources.map((r) => r.address).sort()).toEqual(['aws_lambda_function.legacy', 'aws_lambda_function.ruby']);
    const legacy = byAddress(load, 'aws_lambda_function.legacy');
    expect(at(legacy, 'function_name')).toMatchObject({ value: 'glue-legacy-v2' });
    expect(legacy.pointer.path).toEqual(['resource_changes', 0]);
    expect(at(byAddress(load, 'aws_lambda_function.ruby'), 'arn')).toMatchObject({ kind: 'string' });
    expect(load.configuration.resources.has('aws_lambda_function.python')).toBe(false);
  });

  test('a resource deleted in resource_changes is not brought back from prior_state or planned_values', () => {
    const plan = JSON.parse(fixture('deletion').text);
    plan.prior_state.values.root_module.resources.push({ ...plan.prior_state.values.root_module.resources[2], mode: 'data' });
    const l = loadPlan('/tmp/d.json', JSON.stringify(plan));
    expect(l.model.resources.map((r) => r.address)).not.toContain('aws_lambda_function.python');
  });
});

describe('format 0.1 plan (Terraform 0.12, hand-written)', () => {
  const load = loadFixture('v0.1');

  test('reads without sensitive_values, full_name or relevant_attributes', () => {
    expect(load.diagnostics).toEqual([]);
    expect(load.model.resources.map((r) => r.address)).toEqual([
      'aws_api_gateway_integration.proxy',
      'aws_api_gateway_rest_api.api',
      'aws_iam_role.lambda',
      'aws_lambda_function.glue',
      'module.worker.aws_lambda_function.this',
    ]);
    expect(at(byAddress(load, 'module.worker.aws_lambda_function.this'), 'runtime')).toMatchObject({ value: 'go1.x' });
    expect(sensitivePaths(byAddress(load, 'aws_lambda_function.glue'))).toEqual([]);
  });

  test('references without attribute steps resolve to whole resources', () => {
    expect(refsAt(byAddress(load, 'aws_api_gateway_integration.proxy'), 'uri')).toEqual(['module.worker.aws_lambda_function.this']);
    expect(refsAt(byAddress(load, 'module.worker.aws_lambda_function.this'), 'role')).toEqual(['aws_iam_role.lambda']);
    const graph = new Graph(load.model);
    const fn = byAddress(load, 'module.worker.aws_lambda_function.this');
    expect(graph.referrers(fn).map((e) => e.from.address)).toEqual(['aws_api_gateway_integration.proxy']);
  });
});

describe('variants of the plan format', () => {
  test('OpenTofu plans (registry.opentofu.org providers) read the same', () => {
    const { text } = fixture('modules');
    const tofu = loadPlan('/tmp/tofu.json', text.split('registry.terraform.io').join('registry.opentofu.org'));
    expect(tofu.diagnostics).toEqual([]);
    expect(tofu.model.resources.map((r) => r.address)).toEqual(loadFixture('modules').model.resources.map((r) => r.address));
  });

  test('a plan without resource_changes reads planned_values', () => {
    const plan = JSON.parse(fixture('basic').text);
    delete plan.resource_changes;
    const l = loadPlan('/tmp/p.json', JSON.stringify(plan));
    expect(l.diagnostics).toEqual([]);
    const py = byAddress(l, 'aws_lambda_function.python');
    expect(py.pointer.path).toEqual(['planned_values', 'root_module', 'resources', 1]);
    expect(py.attributePointer(['runtime']).path).toEqual(['planned_values', 'root_module', 'resources', 1, 'values', 'runtime']);
    expect(at(py, 'runtime')).toMatchObject({ value: 'python3.12' });
  });

  test('a plan without configuration reads values without refs', () => {
    const plan = JSON.parse(fixture('modules').text);
    delete plan.configuration;
    const l = loadPlan('/tmp/p.json', JSON.stringify(plan));
    expect(l.diagnostics).toEqual([]);
    expect(l.model.resources.flatMap((r) => collectRefs(r.values))).toEqual([]);
    expect(l.configuration.resources.get('module.legacy[0].aws_lambda_function.this')?.moduleCalls[0].source).toBeUndefined();
  });

  test('an empty plan (no resources) gives an empty model and no diagnostics', () => {
    const l = synthetic({ terraform_version: '1.11.4', planned_values: { root_module: {} }, configuration: { root_module: {} } });
    expect(l.diagnostics).toEqual([]);
    expect(l.model.resources).toEqual([]);
  });

  test('deferred changes are in the model as maybe-existing', () => {
    const l = synthetic({
      resource_changes: [],
      deferred_changes: [{
        reason: 'instance_count_unknown',
        resource_change: {
          address: 'aws_lambda_function.fn[*]', mode: 'managed', type: 'aws_lambda_function', name: 'fn',
          change: { actions: ['create'], after: { runtime: 'python3.12' }, after_unknown: {} },
        },
      }],
    });
    expect(l.model.resources).toHaveLength(1);
    expect(l.model.resources[0]).toMatchObject({ address: 'aws_lambda_function.fn[*]', resourceAddress: 'aws_lambda_function.fn', existence: 'maybe' });
    expect(l.model.resources[0].key).toBeUndefined();
  });
});

describe('linking configuration references (synthetic plans)', () => {
  const lambda = (address: string, moduleAddress?: string) => ({
    address, ...(moduleAddress ? { module_address: moduleAddress } : {}), mode: 'managed', type: 'aws_lambda_function',
    name: parseResourceAddress(address)!.name, change: { actions: ['create'], after: { runtime: 'ruby3.4' }, after_unknown: { invoke_arn: true } },
  });

  test('an unkeyed reference to a module with instances reaches every instance', () => {
    const l = synthetic({
      resource_changes: [
        lambda('module.w["a"].aws_lambda_function.fn', 'module.w["a"]'),
        lambda('module.w["b"].aws_lambda_function.fn', 'module.w["b"]'),
        { address: 'aws_lambda_permission.p', mode: 'managed', type: 'aws_lambda_permission', name: 'p',
          change: { actions: ['create'], after: { principal: 'events.amazonaws.com' }, after_unknown: { function_name: true } } },
      ],
      configuration: { root_module: {
        resources: [{ address: 'aws_lambda_permission.p', mode: 'managed', type: 'aws_lambda_permission', name: 'p',
          expressions: { function_name: { references: ['module.w'] } } }],
        module_calls: { w: { source: './w', for_each_expression: { references: ['var.names'] }, module: {
          outputs: { arn: { expression: { references: ['aws_lambda_function.fn.arn', 'aws_lambda_function.fn'] } } },
          resources: [{ address: 'aws_lambda_function.fn', mode: 'managed', type: 'aws_lambda_function', name: 'fn', expressions: {} }],
        } } },
      } },
    });
    expect(l.diagnostics).toEqual([]);
    expect(refsAt(byAddress(l, 'aws_lambda_permission.p'), 'function_name').sort()).toEqual([
      'module.w["a"].aws_lambda_function.fn.arn',
      'module.w["b"].aws_lambda_function.fn.arn',
    ]);
  });

  test('a reference cycle in malformed input ends', () => {
    const l = synthetic({
      resource_changes: [lambda('module.a.aws_lambda_function.fn', 'module.a')],
      configuration: { root_module: { module_calls: {
        a: { source: './a', expressions: { x: { references: ['module.a.out'] } }, module: {
          outputs: { out: { expression: { references: ['var.x'] } } },
          resources: [{ address: 'aws_lambda_function.fn', mode: 'managed', type: 'aws_lambda_function', name: 'fn',
            expressions: { role: { references: ['var.x'] } } }],
        } },
      } } },
    });
    expect(l.diagnostics).toEqual([]);
    expect(refsAt(byAddress(l, 'module.a.aws_lambda_function.fn'), 'role')).toEqual([]);
  });

  test('set-ordered blocks get the refs of the configured block whose constants match', () => {
    const l = synthetic({
      resource_changes: [{
        address: 'aws_security_group.db', mode: 'managed', type: 'aws_security_group', name: 'db',
        change: { actions: ['create'], after: { rule: [
          { from_port: 443, cidr: ['10.0.0.0/8'] },
          { from_port: 5432 },
        ] }, after_unknown: { rule: [{}, { sg: true }] } },
      }],
      configuration: { root_module: { resources: [{ address: 'aws_security_group.db', mode: 'managed', type: 'aws_security_group', name: 'db',
        expressions: { rule: [
          { from_port: { constant_value: 5432 }, sg: { references: ['aws_security_group.fn.id', 'aws_security_group.fn'] } },
          { from_port: { constant_value: 443 }, cidr: { constant_value: ['10.0.0.0/8'] } },
        ] } }] } },
    });
    const sg = byAddress(l, 'aws_security_group.db');
    expect(refsAt(sg, 'rule', 1, 'sg')).toEqual(['aws_security_group.fn.id']);
    expect(at(sg, 'rule', 0, 'sg')).toBeUndefined();
  });

  test('a configured attribute the values lack is added as an Unknown with its refs', () => {
    const l = synthetic({
      resource_changes: [{ address: 'aws_lambda_function.fn', mode: 'managed', type: 'aws_lambda_function', name: 'fn',
        change: { actions: ['create'], after: { runtime: 'ruby3.4', vpc_config: [] }, after_unknown: {} } }],
      configuration: { root_module: { resources: [{ address: 'aws_lambda_function.fn', mode: 'managed', type: 'aws_lambda_function', name: 'fn',
        expressions: {
          runtime: { constant_value: 'ruby3.4' },
          environment: [{ variables: { references: ['aws_db_instance.main.address', 'aws_db_instance.main'] } }],
          vpc_config: [{ security_group_ids: { references: ['aws_security_group.x.id'] } }],
          image_config: { references: ['local.image', 'each.key', 'count.index', 'path.module', 'var.root_input'] },
        } }] } },
    });
    const fn = byAddress(l, 'aws_lambda_function.fn');
    expect(at(fn, 'environment')).toMatchObject({ kind: 'unknown', reason: "aws_lambda_function.fn.environment (not in the plan's values)" });
    expect(refsAt(fn, 'environment')).toEqual(['aws_db_instance.main.address']);
    expect(refsAt(fn, 'vpc_config')).toEqual(['aws_security_group.x.id']); // more blocks configured than planned
    expect(at(fn, 'image_config')).toBeUndefined(); // nothing resolvable: nothing added
    expect(fn.attributePointer(['environment']).path).toEqual(['resource_changes', 0]);
  });

  test('a whole block unknown until apply carries the refs of everything configured inside it', () => {
    const l = synthetic({
      resource_changes: [{ address: 'aws_lambda_function.fn', mode: 'managed', type: 'aws_lambda_function', name: 'fn',
        change: { actions: ['update'], after: { runtime: 'ruby3.4' }, after_unknown: { vpc_config: true } } }],
      configuration: { root_module: { resources: [{ address: 'aws_lambda_function.fn', mode: 'managed', type: 'aws_lambda_function', name: 'fn',
        expressions: { vpc_config: [{ security_group_ids: { references: ['aws_security_group.a.id'] }, subnet_ids: { references: ['aws_subnet.b.id'] } }] } }] } },
    });
    const fn = byAddress(l, 'aws_lambda_function.fn');
    expect(at(fn, 'vpc_config')).toMatchObject({ kind: 'unknown' });
    expect(refsAt(fn, 'vpc_config')).toEqual(['aws_security_group.a.id', 'aws_subnet.b.id']);
  });

  test('malformed expressions are ignored, not thrown on', () => {
    const l = synthetic({
      resource_changes: [{ address: 'aws_x.y', mode: 'managed', type: 'aws_x', name: 'y',
        change: { actions: ['create'], after: { a: 1, b: [1, 2] }, after_unknown: { c: [true, { d: [true] }] } } }],
      configuration: { root_module: { resources: [{ address: 'aws_x.y', mode: 'managed', type: 'aws_x', name: 'y',
        expressions: { a: [1, 'x', null], b: { references: [5, 'not a ref!', 'aws_z.w.id'] }, c: 'str', e: null } }] } },
    });
    expect(l.diagnostics).toEqual([]);
    const r = byAddress(l, 'aws_x.y');
    expect(refsAt(r, 'b')).toEqual(['aws_z.w.id']);
    expect(at(r, 'c', 1, 'd', 0)).toMatchObject({ kind: 'unknown', reason: 'aws_x.y.c[1].d[0] (known after apply)' });
  });
});

describe('errors', () => {
  function errorFixture(name: string): PlanLoad {
    const file = path.join(FIXTURES, 'plan-errors', name);
    return loadPlan(file, fs.readFileSync(file, 'utf8'));
  }

  function onlyError(l: PlanLoad) {
    expect(l.model.resources).toEqual([]);
    expect(l.diagnostics).toHaveLength(1);
    expect(l.diagnostics[0]).toMatchObject({ level: 'error', code: 'plan-error' });
    return l.diagnostics[0];
  }

  test('state file', () => {
    const d = onlyError(errorFixture('state.json'));
    expect(d.message).toBe('this is a state file (top-level `values`); run `terraform show -json PLANFILE` on a saved plan');
    expect(d.file).toBe(path.join(FIXTURES, 'plan-errors', 'state.json'));
  });

  test('empty state output and raw terraform.tfstate', () => {
    expect(onlyError(errorFixture('empty-state.json')).message).toBe(
      'this is an empty state file (only `format_version`); run `terraform show -json PLANFILE` on a saved plan');
    expect(onlyError(errorFixture('raw-tfstate.json')).message).toMatch(/^this is a raw state file \(terraform\.tfstate/);
  });

  test('unsupported format_version', () => {
    expect(onlyError(errorFixture('format-2.0.json')).message).toBe('unsupported plan format_version "2.0" (supported: 0.1 to 1.x)');
    expect(onlyError(errorFixture('format-missing.json')).message).toBe('unsupported plan format_version (missing) (supported: 0.1 to 1.x)');
    const plan = JSON.parse(fixture('basic').text);
    expect(onlyError(loadPlan('/tmp/x.json', JSON.stringify({ ...plan, format_version: 1.2 }))).message)
      .toBe('unsupported plan format_version 1.2 (not a string) (supported: 0.1 to 1.x)');
    for (const ok of ['0.1', '0.2', '1.0', '1.2', '1.99']) {
      expect(loadPlan('/tmp/x.json', JSON.stringify({ ...plan, format_version: ok })).diagnostics).toEqual([]);
    }
    for (const bad of ['0.0', '2.0', '10.1', '1', '1.2.3', 'v1.2']) {
      expect(onlyError(loadPlan('/tmp/x.json', JSON.stringify({ ...plan, format_version: bad }))).message).toMatch(/^unsupported plan format_version/);
    }
  });

  test('truncated JSON gives the line and column where it ends', () => {
    const file = path.join(FIXTURES, 'plan-errors', 'truncated.json');
    const text = fs.readFileSync(file, 'utf8');
    const d = onlyError(loadPlan(file, text));
    expect(d.message).toMatch(/^invalid JSON: .* \(the file looks truncated\)$/);
    const lines = text.split('\n');
    expect(d.line).toBe(lines.length);
    expect(d.column).toBe(lines[lines.length - 1].length + 1);
  });

  test('a JSON syntax error in the middle gives its line and column', () => {
    const d = onlyError(loadPlan('/tmp/x.json', '{\n  "format_version": "1.2",\n  "planned_values": {,}\n}'));
    expect(d.message).toMatch(/^invalid JSON: /);
    expect(d).toMatchObject({ line: 3, column: 22 });
  });

  test('wrong shape names the JSON path', () => {
    const file = path.join(FIXTURES, 'plan-errors', 'wrong-shape.json');
    const text = fs.readFileSync(file, 'utf8');
    const d = onlyError(loadPlan(file, text));
    expect(d.message).toBe('malformed plan: resource_changes[2].change.actions: must be array');
    // the line of `"actions": "create"` in the file
    const line = text.split('\n').findIndex((l) => l.includes('"actions": "create"')) + 1;
    expect(d.line).toBe(line);
    expect(d.column).toBe(text.split('\n')[line - 1].indexOf('"create"') + 1);
  });

  test('other shape errors', () => {
    const msg = (parts: Record<string, unknown>) => onlyError(synthetic(parts)).message;
    expect(msg({ resource_changes: {} })).toBe('malformed plan: resource_changes: must be array');
    expect(msg({ resource_changes: [{ address: 'a.b', mode: 'managed', type: 'a', name: 'b' }] }))
      .toBe("malformed plan: resource_changes[0]: must have required property 'change'");
    expect(msg({ planned_values: { root_module: { child_modules: [{ resources: [{ address: 1, mode: 'managed', type: 'a', name: 'b' }] }] } } }))
      .toBe('malformed plan: planned_values.root_module.child_modules[0].resources[0].address: must be string');
    expect(msg({ configuration: { root_module: { module_calls: { 'my-mod': { source: 3 } } } } }))
      .toBe('malformed plan: configuration.root_module.module_calls.my-mod.source: must be string');
    expect(msg({ resource_changes: [{ address: 'a.b', mode: 'managed', type: 'a', name: 'b', index: true, change: { actions: ['create'] } }] }))
      .toBe('malformed plan: resource_changes[0].index: must be string or number');
  });

  test('other JSON, binary plans, UTF-16 and empty files', () => {
    expect(onlyError(errorFixture('not-a-plan.json')).message).toBe(
      'not a Terraform plan: no `planned_values`, `resource_changes` or `configuration` at the top level (found "name", "version", "dependencies"); run `terraform show -json PLANFILE` on a saved plan');
    expect(onlyError(loadPlan('/tmp/x.json', '[1,2]')).message).toMatch(/^not a Terraform plan: the document is an array/);
    expect(onlyError(loadPlan('/tmp/x.json', '"plan"')).message).toMatch(/^not a Terraform plan: the document is a string/);
    expect(onlyError(loadPlan('/tmp/tfplan', 'PK\u0003\u0004\u0014\u0000binary')).message).toMatch(/^this is a binary plan file/);
    expect(onlyError(loadPlan('/tmp/x.json', '\ufffd\ufffd{\u0000"\u0000f\u0000')).message).toMatch(/UTF-16/);
    expect(onlyError(loadPlan('/tmp/x.json', '  \n')).message).toMatch(/^the file is empty/);
  });

  test('a byte order mark is accepted', () => {
    expect(loadPlan('/tmp/x.json', '\ufeff' + fixture('basic').text).diagnostics).toEqual([]);
  });

  test('an unreadable address is skipped with a warning', () => {
    const l = synthetic({ resource_changes: [
      { address: 'not an address', mode: 'managed', type: 'x', name: 'y', change: { actions: ['create'], after: {} } },
    ] });
    expect(l.model.resources).toEqual([]);
    expect(l.diagnostics).toEqual([expect.objectContaining({ level: 'warning', code: 'plan-error', message: expect.stringContaining('resource_changes[0].address') })]);
  });
});

describe('detection by content', () => {
  test('isPlanJson and classifyJson', () => {
    expect(isPlanJson(JSON.parse(fixture('v0.1').text))).toBe(true);
    expect(isPlanJson({ format_version: '2.0', planned_values: {} })).toBe(true); // a plan, though unsupported
    expect(isPlanJson({ format_version: '1.0', values: {} })).toBe(false);
    expect(classifyJson({ format_version: '1.0', values: {} })).toBe('state');
    expect(classifyJson({ format_version: '1.0' })).toBe('state');
    expect(classifyJson({ version: 4, serial: 1, lineage: 'x', resources: [] })).toBe('state');
    expect(classifyJson({ resource: { aws_x: {} } })).toBe('other');
    expect(isPlanJson(null)).toBe(false);
    expect(isPlanJson([])).toBe(false);
    expect(detectPlan({ planned_values: {}, format_version: '1.2' })).toMatchObject({ ok: true, major: 1, minor: 2 });
  });
});

describe('address and reference syntax', () => {
  test('parseResourceAddress', () => {
    expect(parseResourceAddress('module.a["x.y]"].module.b[2].data.aws_x.y["k\\"q"]')).toEqual({
      modules: [{ name: 'a', key: 'x.y]' }, { name: 'b', key: 2 }], mode: 'data', type: 'aws_x', name: 'y', key: 'k"q',
    });
    expect(parseResourceAddress('aws_lambda_function.fn')).toEqual({ modules: [], mode: 'managed', type: 'aws_lambda_function', name: 'fn' });
    expect(parseResourceAddress('module.m.aws_x.y.z')).toBeUndefined();
    expect(parseResourceAddress('aws_x')).toBeUndefined();
    expect(parseModuleAddress('module.jobs["nightly"].module.schedule')).toEqual([{ name: 'jobs', key: 'nightly' }, { name: 'schedule' }]);
  });

  test('parseTraversal', () => {
    expect(parseTraversal('data.x.foo[1].vars["baz"]')).toEqual([{ name: 'data' }, { name: 'x' }, { name: 'foo' }, { key: 1 }, { name: 'vars' }, { key: 'baz' }]);
    expect(parseTraversal('aws_x.y.0.id')).toEqual([{ name: 'aws_x' }, { name: 'y' }, { key: 0 }, { name: 'id' }]);
    expect(parseTraversal('aws_x.y[*].id')).toEqual([{ name: 'aws_x' }, { name: 'y' }, { key: '*' }, { name: 'id' }]);
    expect(parseTraversal('a b')).toBeUndefined();
    expect(parseTraversal('a["unterminated')).toBeUndefined();
  });

  test('mostSpecific keeps the longest reference of each family', () => {
    expect(mostSpecific(['data.x.foo[1].vars["baz"]', 'data.x.foo[1].vars', 'data.x.foo[1]', 'data.x.foo', 'var.y'])).toEqual(['data.x.foo[1].vars["baz"]', 'var.y']);
    expect(mostSpecific(['aws_x.ab.id', 'aws_x.a'])).toEqual(['aws_x.ab.id', 'aws_x.a']);
    expect(mostSpecific(['module.m["a.b"].out', 'module.m["a'])).toEqual(['module.m["a.b"].out', 'module.m["a']);
    expect(mostSpecific('x')).toEqual([]);
  });

  test('formatJsonPath', () => {
    expect(formatJsonPath(['resource_changes', 3, 'change', 'actions'])).toBe('resource_changes[3].change.actions');
    expect(formatJsonPath(['module_calls', 'a b', 0])).toBe('module_calls["a b"][0]');
    expect(formatJsonPath([])).toBe('(top level)');
  });
});

describe('fixture expectations', () => {
  test('every address in expected.json is a Lambda function in the loaded model', () => {
    for (const scenario of fs.readdirSync(path.join(FIXTURES, 'plan'))) {
      const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'plan', scenario, 'expected.json'), 'utf8')) as { rule: string; address: string }[];
      const load = loadFixture(scenario);
      for (const e of expected) {
        expect(e.rule).toMatch(/^lambda-/);
        expect(byAddress(load, e.address).type).toBe('aws_lambda_function');
      }
    }
  });
});

describe('robustness', () => {
  test('never throws on plans with parts replaced by values of the wrong type', () => {
    let seed = 42;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    const junk = [null, 0, -1, 'x', true, [], {}, [null], { references: 'a' }, { constant_value: null }, [[{}]]];
    const base = JSON.parse(fixture('modules').text);
    // Every container path in the plan, to pick mutation targets from.
    const paths: (string | number)[][] = [];
    const walk = (v: unknown, p: (string | number)[]) => {
      if (p.length) paths.push(p);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...p, k]);
    };
    walk(base, []);
    for (let n = 0; n < 300; n++) {
      const plan = JSON.parse(JSON.stringify(base));
      for (let m = 0; m < 3; m++) {
        const p = paths[rand(paths.length)];
        let cur = plan;
        for (const step of p.slice(0, -1)) cur = cur?.[step];
        if (cur && typeof cur === 'object') cur[p[p.length - 1]] = junk[rand(junk.length)];
      }
      const l = loadPlan('/tmp/fuzz.json', JSON.stringify(plan));
      expect(Array.isArray(l.diagnostics)).toBe(true);
      expect(l.diagnostics.every((d) => !d.message.startsWith('could not read the plan'))).toBe(true);
    }
  });
});
