/**
 * The ECS side of ADR030: where a launcher's tasks run (launchPlatform, ecs-fargate-only) and which
 * scheduled tasks are glue code (scheduleOf, ecs-glue-candidate). Resources are built by hand, as
 * the evaluator would build them, so each case shows exactly the values it turns on; the fixtures
 * under fixtures/ecs/ cover the same rules end to end from .tf files.
 */
import { Graph } from '../src/graph/graph';
import { DatastoreReach } from '../src/graph/datastore-reach';
import { clusterTarget, ecsLaunchers, launchPlatform, runsOnFargate, scheduleOf, taskWorkload } from '../src/graph/ecs-tasks';
import type { Model, Resource } from '../src/model/model';
import { hclPointer } from '../src/model/source';
import { list, NULL, obj, str, unknown, type Marks, type Value } from '../src/model/value';
import { loadPlan } from '../src/plan/load';
import type { Finding, Rule, RuleContext, RuleOptions } from '../src/rule';
import fargateOnly from '../rules/ecs-fargate-only';
import glueCandidate from '../rules/ecs-glue-candidate';
import { allRules } from '../rules';

const FILE = '/repo/main.tf';

function res(type: string, name: string, values: Record<string, Value>, mode: 'managed' | 'data' = 'managed'): Resource {
  const address = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
  const base = [mode === 'data' ? 'data' : 'resource', type, name];
  return {
    address,
    resourceAddress: address,
    moduleAddress: '',
    mode,
    type,
    name,
    existence: 'exists',
    values: obj(values),
    pointer: hclPointer(FILE, base),
    attributePointer: (p) => hclPointer(FILE, [...base, ...p]),
    moduleChain: [],
    root: '/repo',
  };
}

/** A value read from another resource: `ref('aws_ecs_cluster.main', 'arn')` is known after apply. */
function ref(address: string, attribute: string, known?: string): Value {
  const marks: Marks = { refs: [{ address, attribute: [attribute] }] };
  return known !== undefined ? str(known, marks) : unknown(`${address}.${attribute} (known after apply)`, marks);
}

const block = (values: Record<string, Value>) => obj(values);
const blocks = (...items: Record<string, Value>[]) => list(items.map(block));
const strategy = (...providers: Value[]) => blocks(...providers.map((p) => ({ capacity_provider: p })));

const cluster = (name = 'forms') => res('aws_ecs_cluster', 'main', { name: str(name) });
const task = (name = 'app', extra: Record<string, Value> = {}) => res('aws_ecs_task_definition', name, {
  family: str(name), requires_compatibilities: list([str('FARGATE')]), network_mode: str('awsvpc'), container_definitions: str('[]'), ...extra,
});
const service = (values: Record<string, Value>, taskName = 'app') => res('aws_ecs_service', 'web', {
  name: str('web'), cluster: ref('aws_ecs_cluster.main', 'id'), task_definition: ref(`aws_ecs_task_definition.${taskName}`, 'arn'), ...values,
});
const clusterProviders = (values: Record<string, Value>) => res('aws_ecs_cluster_capacity_providers', 'main', { cluster_name: ref('aws_ecs_cluster.main', 'name', 'forms'), ...values });

function graphOf(resources: Resource[]): Graph {
  return new Graph({ resources, files: [FILE] });
}

function run(rule: Rule, resources: Resource[], options: RuleOptions = {}): Finding[] {
  const model: Model = { resources, files: [FILE] };
  const findings: Finding[] = [];
  const ctx: RuleContext = {
    model, graph: new Graph(model), asOf: '2026-11-27', options,
    report: (f) => findings.push({ ...f, ruleId: rule.meta.id, level: f.level ?? rule.meta.defaultLevel }),
  };
  rule.check(ctx);
  return findings;
}

function platformOf(resources: Resource[]) {
  const g = graphOf(resources);
  const [l] = ecsLaunchers(g);
  return { g, l, p: launchPlatform(g, l) };
}

describe('launchPlatform', () => {
  test.each([
    ['FARGATE', true],
    ['EC2', false],
    ['EXTERNAL', false],
    ['MANAGED_INSTANCES', false],
  ])('launch_type %s → fargate %s', (lt, fargate) => {
    const { p } = platformOf([cluster(), task(), service({ launch_type: str(lt) })]);
    expect(p).toMatchObject({ kind: 'launch-type', launchType: lt, fargate });
  });

  test('FARGATE and FARGATE_SPOT strategies are Fargate; a capacity provider by name or reference is not', () => {
    expect(runsOnFargate(platformOf([cluster(), task(), service({ capacity_provider_strategy: strategy(str('FARGATE'), str('FARGATE_SPOT')) })]).p)).toBe(true);
    const asg = res('aws_ecs_capacity_provider', 'hosts', { name: str('hosts'), auto_scaling_group_provider: blocks({ auto_scaling_group_arn: str('arn:aws:autoscaling:…') }) });
    const byName = platformOf([cluster(), task(), asg, service({ capacity_provider_strategy: strategy(str('FARGATE'), str('hosts')) })]).p;
    expect(runsOnFargate(byName)).toBe(false);
    expect(byName).toMatchObject({ kind: 'strategy', entries: [{ fargate: true }, { fargate: false, name: 'hosts', provider: asg, path: ['capacity_provider_strategy', 1, 'capacity_provider'] }] });
    const byRef = platformOf([cluster(), task(), asg, service({ capacity_provider_strategy: strategy(ref('aws_ecs_capacity_provider.hosts', 'name')) })]).p;
    expect(byRef).toMatchObject({ kind: 'strategy', entries: [{ fargate: false, name: 'hosts', provider: asg }] });
  });

  test('a strategy entry whose name cannot be known is undecided', () => {
    const { p } = platformOf([cluster(), task(), service({ capacity_provider_strategy: strategy(unknown('var.provider (no value given)')) })]);
    expect(runsOnFargate(p)).toBeUndefined();
    expect(p).toMatchObject({ kind: 'strategy', entries: [{ fargate: undefined, unknownReason: 'var.provider (no value given)' }] });
  });

  test('without launch type or strategy the cluster default decides: linked by reference or by name', () => {
    const fargateDefault = clusterProviders({ default_capacity_provider_strategy: strategy(str('FARGATE')) });
    expect(platformOf([cluster(), task(), fargateDefault, service({})]).p).toMatchObject({ kind: 'cluster-default', source: fargateDefault });
    const byName = res('aws_ecs_cluster_capacity_providers', 'main', { cluster_name: str('forms'), default_capacity_provider_strategy: strategy(str('legacy')) });
    const { p } = platformOf([cluster(), task(), byName, service({})]);
    expect(p).toMatchObject({ kind: 'cluster-default', entries: [{ name: 'legacy', fargate: false }] });
  });

  test('no default strategy means EC2, with or without an aws_ecs_cluster_capacity_providers', () => {
    expect(platformOf([cluster(), task(), service({})]).p).toMatchObject({ kind: 'ec2-default' });
    const noDefault = clusterProviders({ capacity_providers: list([str('FARGATE')]), default_capacity_provider_strategy: list([]) });
    expect(platformOf([cluster(), task(), noDefault, service({})]).p).toMatchObject({ kind: 'ec2-default', source: noDefault });
  });

  test('a default strategy on the cluster itself (AWS provider v4) still counts', () => {
    const legacy = res('aws_ecs_cluster', 'main', { name: str('forms'), default_capacity_provider_strategy: strategy(str('FARGATE_SPOT')) });
    expect(runsOnFargate(platformOf([legacy, task(), service({})]).p)).toBe(true);
  });

  test('the cluster by literal ARN, by AWS\'s "default" name, from a data source, or unknown', () => {
    const arn = service({ cluster: str('arn:aws:ecs:eu-west-2:111122223333:cluster/forms') });
    expect(clusterTarget(graphOf([cluster(), arn]), ecsLaunchers(graphOf([cluster(), arn]))[0])).toMatchObject({ kind: 'resource' });

    const noCluster = service({ cluster: NULL });
    expect(platformOf([task(), noCluster]).p).toMatchObject({ kind: 'unknown', about: { kind: 'cluster-default', cluster: '"default"', external: true } });
    expect(platformOf([cluster('default'), task(), noCluster]).p).toMatchObject({ kind: 'ec2-default' });

    const data = res('aws_ecs_cluster', 'shared', { cluster_name: str('platform') }, 'data');
    const viaData = service({ cluster: ref('data.aws_ecs_cluster.shared', 'arn') });
    expect(platformOf([data, task(), viaData]).p).toMatchObject({ kind: 'unknown', about: { kind: 'cluster-default', cluster: 'data.aws_ecs_cluster.shared' } });

    const viaVar = service({ cluster: unknown('var.cluster_arn (no value given)') });
    expect(platformOf([task(), viaVar]).p).toMatchObject({ kind: 'unknown', about: { kind: 'cluster' }, reason: 'var.cluster_arn (no value given)', path: ['cluster'] });
  });

  test('a cluster capacity providers resource whose cluster cannot be known leaves the default open', () => {
    const open = res('aws_ecs_cluster_capacity_providers', 'main', { cluster_name: unknown('var.cluster_name (no value given)'), default_capacity_provider_strategy: strategy(str('FARGATE')) });
    expect(platformOf([cluster(), task(), open, service({})]).p).toMatchObject({ kind: 'unknown', owner: open, path: ['cluster_name'] });
  });

  test('scheduled launches read ecs_target / ecs_parameters and the cluster from arn', () => {
    const rule = res('aws_cloudwatch_event_rule', 'nightly', { name: str('nightly'), schedule_expression: str('rate(1 day)') });
    const target = res('aws_cloudwatch_event_target', 'nightly', {
      rule: ref('aws_cloudwatch_event_rule.nightly', 'name', 'nightly'), arn: ref('aws_ecs_cluster.main', 'arn'),
      ecs_target: blocks({ task_definition_arn: ref('aws_ecs_task_definition.app', 'arn'), launch_type: NULL }),
    });
    const g = graphOf([cluster(), task(), rule, target, clusterProviders({ default_capacity_provider_strategy: strategy(str('FARGATE')) })]);
    const [l] = ecsLaunchers(g);
    expect(l).toMatchObject({ kind: 'scheduled', path: ['ecs_target', 0], clusterPath: ['arn'] });
    expect(runsOnFargate(launchPlatform(g, l))).toBe(true);

    const schedule = res('aws_scheduler_schedule', 'weekly', {
      schedule_expression: str('rate(7 days)'),
      target: blocks({ arn: ref('aws_ecs_cluster.main', 'arn'), ecs_parameters: blocks({ task_definition_arn: ref('aws_ecs_task_definition.app', 'arn'), launch_type: str('EC2') }) }),
    });
    const g2 = graphOf([cluster(), task(), schedule]);
    const [s] = ecsLaunchers(g2);
    expect(s).toMatchObject({ path: ['target', 0, 'ecs_parameters', 0], clusterPath: ['target', 0, 'arn'] });
    expect(launchPlatform(g2, s)).toMatchObject({ kind: 'launch-type', launchType: 'EC2' });
  });
});

describe('launch_type in a plan', () => {
  const plan = (serviceAfter: Record<string, unknown>, afterUnknown: Record<string, unknown>) => JSON.stringify({
    format_version: '1.2',
    planned_values: { root_module: { resources: [
      { address: 'aws_ecs_cluster.main', mode: 'managed', type: 'aws_ecs_cluster', name: 'main', values: { name: 'forms' } },
      { address: 'aws_ecs_cluster_capacity_providers.main', mode: 'managed', type: 'aws_ecs_cluster_capacity_providers', name: 'main',
        values: { cluster_name: 'forms', capacity_providers: ['FARGATE'], default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE', base: 1, weight: 100 }] } },
      { address: 'aws_ecs_service.web', mode: 'managed', type: 'aws_ecs_service', name: 'web', values: serviceAfter },
    ] } },
    resource_changes: [
      { address: 'aws_ecs_cluster.main', mode: 'managed', type: 'aws_ecs_cluster', name: 'main', change: { actions: ['create'], after: { name: 'forms' }, after_unknown: { arn: true, id: true } } },
      { address: 'aws_ecs_cluster_capacity_providers.main', mode: 'managed', type: 'aws_ecs_cluster_capacity_providers', name: 'main',
        change: { actions: ['create'], after: { cluster_name: 'forms', capacity_providers: ['FARGATE'], default_capacity_provider_strategy: [{ capacity_provider: 'FARGATE', base: 1, weight: 100 }] }, after_unknown: {} } },
      { address: 'aws_ecs_service.web', mode: 'managed', type: 'aws_ecs_service', name: 'web', change: { actions: ['create'], after: serviceAfter, after_unknown: afterUnknown } },
    ],
    configuration: { root_module: { resources: [
      { address: 'aws_ecs_cluster.main', mode: 'managed', type: 'aws_ecs_cluster', name: 'main', expressions: { name: { constant_value: 'forms' } } },
      { address: 'aws_ecs_cluster_capacity_providers.main', mode: 'managed', type: 'aws_ecs_cluster_capacity_providers', name: 'main',
        expressions: { cluster_name: { references: ['aws_ecs_cluster.main.name', 'aws_ecs_cluster.main'] } } },
      { address: 'aws_ecs_service.web', mode: 'managed', type: 'aws_ecs_service', name: 'web',
        expressions: { name: { constant_value: 'web' }, cluster: { references: ['aws_ecs_cluster.main.id', 'aws_ecs_cluster.main'] } } },
    ] } },
  });

  test('a launch_type the provider computes (not in the configuration) lets the cluster default decide', () => {
    const load = loadPlan('/tmp/plan.json', plan({ name: 'web', capacity_provider_strategy: [] }, { cluster: true, launch_type: true, id: true }));
    expect(load.diagnostics).toEqual([]);
    expect(run(fargateOnly, [...load.model.resources])).toEqual([]);
  });

  test('a launch_type the plan knows decides', () => {
    const load = loadPlan('/tmp/plan.json', plan({ name: 'web', launch_type: 'EC2', capacity_provider_strategy: [] }, { cluster: true, id: true }));
    expect(run(fargateOnly, [...load.model.resources]).map((f) => f.message)).toEqual([expect.stringContaining('uses launch_type "EC2"')]);
  });
});

describe('ecs-fargate-only', () => {
  test('metadata and registration', () => {
    expect(fargateOnly.meta).toMatchObject({ id: 'ecs-fargate-only', name: 'EcsFargateOnly', defaultLevel: 'warning' });
    expect(allRules).toContain(fargateOnly);
    expect(allRules).toContain(glueCandidate);
  });

  test('EC2 launch type: at launch_type, naming what the task definition lacks', () => {
    const [f] = run(fargateOnly, [cluster(), task('app', { requires_compatibilities: list([str('EC2')]), network_mode: str('bridge') }), service({ launch_type: str('EC2') })]);
    expect(f).toMatchObject({ ruleId: 'ecs-fargate-only', level: 'warning', address: 'aws_ecs_service.web', pointer: hclPointer(FILE, ['resource', 'aws_ecs_service', 'web', 'launch_type']) });
    expect(f.message).toContain('uses launch_type "EC2"');
    expect(f.message).toContain('requires_compatibilities including "FARGATE" and network_mode = "awsvpc"');
    expect(f.related.map((r) => r.message)).toEqual(['aws_ecs_service aws_ecs_service.web', 'task definition aws_ecs_task_definition.app']);
  });

  test('a launch type from a variable default points at the default, with the attribute related', () => {
    const origin = { pointer: hclPointer('/repo/variables.tf', ['variable', 'launch_type', 'default']), via: 'variable default' };
    const [f] = run(fargateOnly, [cluster(), task(), service({ launch_type: str('EXTERNAL', { origin }) })]);
    expect(f.pointer).toEqual(origin.pointer);
    expect(f.message).toContain('uses launch_type "EXTERNAL" (from variable default)');
    expect(f.related[0]).toEqual({ pointer: hclPointer(FILE, ['resource', 'aws_ecs_service', 'web', 'launch_type']), message: 'launch_type of aws_ecs_service.web' });
  });

  test('a managed-instances capacity provider: at its strategy entry, the provider related', () => {
    const mi = res('aws_ecs_capacity_provider', 'mi', { name: str('mi'), managed_instances_provider: blocks({ infrastructure_role_arn: str('arn') }) });
    const [f] = run(fargateOnly, [cluster(), task(), mi, service({ capacity_provider_strategy: strategy(str('FARGATE'), ref('aws_ecs_capacity_provider.mi', 'name', 'mi')) })]);
    expect(f.pointer.path).toEqual(['resource', 'aws_ecs_service', 'web', 'capacity_provider_strategy', 1, 'capacity_provider']);
    expect(f.message).toContain('ECS Managed Instances capacity provider "mi" (aws_ecs_capacity_provider.mi)');
    expect(f.related[0].pointer).toEqual(mi.pointer);
  });

  test('the EC2 fallback: at the service block, saying the cluster has no default strategy', () => {
    const [f] = run(fargateOnly, [cluster(), task(), service({})]);
    expect(f.pointer).toEqual(hclPointer(FILE, ['resource', 'aws_ecs_service', 'web']));
    expect(f.message).toContain('cluster aws_ecs_cluster.main has no default capacity provider strategy, so AWS launches its tasks with the EC2 launch type');
    // The service block is the location, so it is not repeated as related.
    expect(f.related.map((r) => r.message)).toEqual(['aws_ecs_cluster aws_ecs_cluster.main', 'task definition aws_ecs_task_definition.app']);
  });

  test('a non-Fargate cluster default: the default strategy entry is related', () => {
    const cp = clusterProviders({ default_capacity_provider_strategy: strategy(str('legacy-ec2')) });
    const [f] = run(fargateOnly, [cluster(), task(), cp, service({})]);
    expect(f.message).toContain('the default capacity provider strategy of aws_ecs_cluster.main decides, and it names capacity provider "legacy-ec2"');
    expect(f.related[0].pointer).toEqual(hclPointer(FILE, ['resource', 'aws_ecs_cluster_capacity_providers', 'main', 'default_capacity_provider_strategy', 0, 'capacity_provider']));
  });

  test('could not determine: launch type, cluster, cluster outside the configuration', () => {
    const [lt] = run(fargateOnly, [cluster(), task(), service({ launch_type: unknown('var.launch_type (no value given)') })]);
    expect(lt).toMatchObject({ level: 'warning', discriminator: 'service|unknown' });
    expect(lt.message).toContain('could not determine whether its tasks run on Fargate: its launch_type depends on var.launch_type (no value given)');

    const [cl] = run(fargateOnly, [task(), service({ cluster: unknown('var.cluster_arn (no value given)') })]);
    expect(cl.pointer.path).toEqual(['resource', 'aws_ecs_service', 'web', 'cluster']);
    expect(cl.message).toContain('the cluster depends on var.cluster_arn (no value given)');

    const [ext] = run(fargateOnly, [task(), service({ cluster: str('platform-shared') })]);
    expect(ext.message).toContain('the default capacity provider strategy of cluster "platform-shared" decides, and this configuration does not define that cluster');
  });

  test('scheduled launches: at ecs_target / ecs_parameters block or their launch_type', () => {
    const target = res('aws_cloudwatch_event_target', 'nightly', {
      rule: str('nightly'), arn: ref('aws_ecs_cluster.main', 'arn'),
      ecs_target: blocks({ task_definition_arn: ref('aws_ecs_task_definition.app', 'arn') }),
    });
    const schedule = res('aws_scheduler_schedule', 'weekly', {
      schedule_expression: str('rate(7 days)'),
      target: blocks({ arn: ref('aws_ecs_cluster.main', 'arn'), ecs_parameters: blocks({ task_definition_arn: ref('aws_ecs_task_definition.app', 'arn'), launch_type: str('EC2') }) }),
    });
    const found = run(fargateOnly, [cluster(), task(), target, schedule]);
    expect(found.map((f) => [f.address, f.pointer.path.slice(3)])).toEqual([
      ['aws_cloudwatch_event_target.nightly', ['ecs_target', 0]],
      ['aws_scheduler_schedule.weekly', ['target', 0, 'ecs_parameters', 0, 'launch_type']],
    ]);
    expect(found[0].message).toMatch(/^ECS task launch of aws_cloudwatch_event_target\.nightly \(ecs_target, task definition aws_ecs_task_definition\.app\)/);
    // At a nested block, the resource block itself stays a related location.
    expect(found[0].related.map((r) => r.message)).toContain('aws_cloudwatch_event_target aws_cloudwatch_event_target.nightly');
  });

  test('Fargate launches produce nothing', () => {
    const cp = clusterProviders({ default_capacity_provider_strategy: strategy(str('FARGATE_SPOT')) });
    expect(run(fargateOnly, [cluster(), task(), cp, service({})])).toEqual([]);
    expect(run(fargateOnly, [cluster(), task(), service({ launch_type: str('FARGATE') })])).toEqual([]);
  });
});

describe('scheduleOf and ecs-glue-candidate', () => {
  const db = () => res('aws_db_instance', 'forms', { vpc_security_group_ids: list([ref('aws_security_group.db', 'id')]) });
  const sg = (name: string) => res('aws_security_group', name, { name: str(name) });
  const eventRule = (values: Record<string, Value>) => res('aws_cloudwatch_event_rule', 'nightly', { name: str('forms-nightly'), ...values });
  const eventTarget = (rule: Value, groups: Value = list([ref('aws_security_group.job', 'id')]), taskName = 'job') => res('aws_cloudwatch_event_target', 'nightly', {
    rule, arn: ref('aws_ecs_cluster.main', 'arn'),
    ecs_target: blocks({ task_definition_arn: ref(`aws_ecs_task_definition.${taskName}`, 'arn'), launch_type: str('FARGATE'), network_configuration: blocks({ subnets: list([str('subnet-1')]), security_groups: groups }) }),
  });
  const base = () => [cluster(), task('job'), sg('db'), sg('job'), db()];

  test('an EventBridge rule counts when it has a schedule_expression, found by reference or by name', () => {
    const byRef = eventTarget(ref('aws_cloudwatch_event_rule.nightly', 'name', 'forms-nightly'));
    const g = graphOf([...base(), eventRule({ schedule_expression: str('cron(0 2 * * ? *)') }), byRef]);
    expect(scheduleOf(g, ecsLaunchers(g)[0])).toMatchObject({ expression: 'cron(0 2 * * ? *)' });
    const g2 = graphOf([...base(), eventRule({ schedule_expression: unknown('var.cron (no value given)') }), eventTarget(str('forms-nightly'))]);
    expect(scheduleOf(g2, ecsLaunchers(g2)[0])).toMatchObject({ resource: { address: 'aws_cloudwatch_event_rule.nightly' } });
    const g3 = graphOf([...base(), eventRule({ event_pattern: str('{"source":["aws.s3"]}') }), eventTarget(str('forms-nightly'))]);
    expect(scheduleOf(g3, ecsLaunchers(g3)[0])).toBeUndefined();
  });

  test('a scheduled task that reaches nothing is a note at the task definition, schedule and target related', () => {
    const [f] = run(glueCandidate, [...base(), eventRule({ schedule_expression: str('rate(1 day)') }), eventTarget(str('forms-nightly'))]);
    expect(f).toMatchObject({ ruleId: 'ecs-glue-candidate', level: 'note', address: 'aws_ecs_task_definition.job', pointer: hclPointer(FILE, ['resource', 'aws_ecs_task_definition', 'job']) });
    expect(f.message).toContain('is only started on a schedule, by aws_cloudwatch_event_rule.nightly "rate(1 day)"');
    expect(f.message).toContain('reaches none of the data stores in this configuration');
    expect(f.related.map((r) => r.message)).toEqual(['schedule aws_cloudwatch_event_rule.nightly "rate(1 day)"', 'ecs_target of aws_cloudwatch_event_target.nightly']);
  });

  test('no note when the task reaches a store: security group rule, environment, IAM', () => {
    const rule = eventRule({ schedule_expression: str('rate(1 day)') });
    const ingress = res('aws_security_group_rule', 'db_from_job', { type: str('ingress'), security_group_id: ref('aws_security_group.db', 'id'), source_security_group_id: ref('aws_security_group.job', 'id') });
    expect(run(glueCandidate, [...base(), rule, eventTarget(str('forms-nightly')), ingress])).toEqual([]);

    const envTask = task('job', { container_definitions: ref('aws_db_instance.forms', 'address') });
    expect(run(glueCandidate, [cluster(), envTask, sg('db'), sg('job'), db(), rule, eventTarget(str('forms-nightly'))])).toEqual([]);

    const role = res('aws_iam_role', 'job', { name: str('job'), managed_policy_arns: list([str('arn:aws:iam::aws:policy/AmazonRDSDataFullAccess')]) });
    const iamTask = task('job', { task_role_arn: ref('aws_iam_role.job', 'arn') });
    expect(run(glueCandidate, [cluster(), iamTask, role, sg('job'), rule, eventTarget(str('forms-nightly'))])).toEqual([]);
  });

  test('no note for event-pattern rules, tasks a service also runs, or unknown security groups', () => {
    expect(run(glueCandidate, [...base(), eventRule({ event_pattern: str('{}') }), eventTarget(str('forms-nightly'))])).toEqual([]);
    const alsoService = service({ launch_type: str('FARGATE') }, 'job');
    expect(run(glueCandidate, [...base(), eventRule({ schedule_expression: str('rate(1 day)') }), eventTarget(str('forms-nightly')), alsoService])).toEqual([]);
    const unknownGroups = eventTarget(str('forms-nightly'), unknown('var.job_security_groups (no value given)'));
    expect(run(glueCandidate, [...base(), eventRule({ schedule_expression: str('rate(1 day)') }), unknownGroups])).toEqual([]);
  });

  test('with no store in the configuration the note says so; unknown groups do not matter then', () => {
    const unknownGroups = eventTarget(str('forms-nightly'), unknown('var.job_security_groups (no value given)'));
    const [f] = run(glueCandidate, [cluster(), task('job'), eventRule({ schedule_expression: str('rate(1 day)') }), unknownGroups]);
    expect(f.message).toContain('reaches no data store (this configuration defines none)');
  });

  test('one note per task definition, however many schedules start it', () => {
    const schedule = res('aws_scheduler_schedule', 'weekly', {
      schedule_expression: str('rate(7 days)'),
      target: blocks({ arn: ref('aws_ecs_cluster.main', 'arn'), ecs_parameters: blocks({ task_definition_arn: ref('aws_ecs_task_definition.job', 'arn') }) }),
    });
    const found = run(glueCandidate, [...base(), eventRule({ schedule_expression: str('rate(1 day)') }), eventTarget(str('forms-nightly')), schedule]);
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('aws_cloudwatch_event_rule.nightly "rate(1 day)" and aws_scheduler_schedule.weekly "rate(7 days)"');
    expect(found[0].related.map((r) => r.message)).toContain('ecs_parameters of aws_scheduler_schedule.weekly (rate(7 days))');
  });

  test('extraStoreTypes makes more resource types data stores', () => {
    const docdb = res('aws_docdb_cluster', 'main', { vpc_security_group_ids: list([ref('aws_security_group.job', 'id')]) });
    const resources = [cluster(), task('job'), sg('job'), docdb, eventRule({ schedule_expression: str('rate(1 day)') }), eventTarget(str('forms-nightly'))];
    expect(run(glueCandidate, resources)).toHaveLength(1);
    expect(run(glueCandidate, resources, { extraStoreTypes: ['aws_docdb_cluster'] })).toEqual([]);
  });

  test('taskWorkload reports unknown launcher security groups', () => {
    const g = graphOf([cluster(), task('job'), eventTarget(str('x'), unknown('var.sg (no value given)'))]);
    const reach = new DatastoreReach(g);
    expect(taskWorkload(g, reach, g.ofType('aws_ecs_task_definition')[0]).securityGroups.unknown).toBe('var.sg (no value given)');
  });
});

describe('task definitions read by data sources', () => {
  test('are not glue candidates and get no advice about their compatibilities', () => {
    const dataTask = res('aws_ecs_task_definition', 'shared', { task_definition: str('shared') }, 'data');
    const rule = res('aws_cloudwatch_event_rule', 'nightly', { name: str('nightly'), schedule_expression: str('rate(1 day)') });
    const target = res('aws_cloudwatch_event_target', 'nightly', {
      rule: str('nightly'), arn: ref('aws_ecs_cluster.main', 'arn'),
      ecs_target: blocks({ task_definition_arn: ref('data.aws_ecs_task_definition.shared', 'arn'), launch_type: str('EC2') }),
    });
    expect(run(glueCandidate, [cluster(), dataTask, rule, target])).toEqual([]);
    const [f] = run(fargateOnly, [cluster(), dataTask, rule, target]);
    expect(f.message).not.toContain('also needs');
  });
});

describe('literal names link within one root module', () => {
  test('a cluster named in another root is not this launcher\'s cluster', () => {
    const other = { ...cluster(), root: '/repo/production' };
    const { p } = platformOf([other, task(), service({ cluster: str('forms') })]);
    expect(p).toMatchObject({ kind: 'unknown', about: { kind: 'cluster-default', cluster: '"forms"', external: true } });
  });
});
