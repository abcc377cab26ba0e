/**
 * ECS task definitions and what launches them: services, EventBridge rule targets and
 * EventBridge Scheduler schedules — with the launch settings and network of each, so rules can
 * ask "does this task run on Fargate?" (launchPlatform), "is it started on a schedule?"
 * (scheduleOf) and "what does this task reach?" (taskWorkload).
 */
import type { Resource } from '../model/model';
import { asString, blocks, getAttr, getPath, type ObjectValue, type Value } from '../model/value';
import type { DatastoreReach, SecurityGroups, Subnet, Workload } from './datastore-reach';
import type { AttrPath, Graph } from './graph';

export type LauncherKind = 'service' | 'scheduled';

export interface Launcher {
  readonly resource: Resource;
  readonly kind: LauncherKind;
  /** Attribute path of the block holding launch settings (`[]` for a service, `['ecs_target', 0]`). */
  readonly path: readonly (string | number)[];
  readonly settings: ObjectValue;
  /** Pattern of the security groups list, relative to the resource. Block positions are `'*'`: the
   *  provider allows one ecs_target / target / ecs_parameters block, and DatastoreReach reads
   *  literal IDs and unknowns only through `'*'` steps, not list indices. */
  readonly securityGroups: readonly (string | '*')[];
  /** The task definition it runs (when it refers to one in the configuration). */
  readonly task?: Resource;
  /** Attribute path of the cluster it launches into (`['cluster']`, `['arn']`, `['target', 0, 'arn']`). */
  readonly clusterPath: AttrPath;
}

const TASK_DEF = 'aws_ecs_task_definition';

/** Every service and scheduled launch of an ECS task in the model. */
export function ecsLaunchers(graph: Graph): Launcher[] {
  const out: Launcher[] = [];
  const taskAt = (r: Resource, path: (string | number)[]): Resource | undefined =>
    graph.referencesAt(r, path).map((e) => e.to).find((t) => t.type === TASK_DEF);
  for (const svc of graph.ofType('aws_ecs_service')) {
    out.push({ resource: svc, kind: 'service', path: [], settings: svc.values, securityGroups: ['network_configuration', '*', 'security_groups'], task: taskAt(svc, ['task_definition']), clusterPath: ['cluster'] });
  }
  for (const t of graph.ofType('aws_cloudwatch_event_target')) {
    blocks(getAttr(t.values, 'ecs_target')).forEach((settings, i) => {
      out.push({ resource: t, kind: 'scheduled', path: ['ecs_target', i], settings, securityGroups: ['ecs_target', '*', 'network_configuration', '*', 'security_groups'], task: taskAt(t, ['ecs_target', i, 'task_definition_arn']), clusterPath: ['arn'] });
    });
  }
  for (const s of graph.ofType('aws_scheduler_schedule')) {
    blocks(getAttr(s.values, 'target')).forEach((target, i) => {
      blocks(getAttr(target, 'ecs_parameters')).forEach((settings, j) => {
        out.push({ resource: s, kind: 'scheduled', path: ['target', i, 'ecs_parameters', j], settings, securityGroups: ['target', '*', 'ecs_parameters', '*', 'network_configuration', '*', 'security_groups'], task: taskAt(s, ['target', i, 'ecs_parameters', j, 'task_definition_arn']), clusterPath: ['target', i, 'arn'] });
      });
    });
  }
  return out;
}

export function ecsTasks(graph: Graph): Resource[] {
  return graph.ofType(TASK_DEF);
}

/** What a task definition brings: the network of whatever launches it, its containers' definitions, its task role. */
export function taskWorkload(graph: Graph, reach: DatastoreReach, task: Resource): Workload {
  const resources = new Set<Resource>();
  const ids = new Set<string>();
  const subnets: Subnet[] = [];
  let unknown: string | undefined;
  for (const l of ecsLaunchers(graph).filter((x) => x.task === task)) {
    const g: SecurityGroups = reach.groupsAt(l.resource, l.securityGroups);
    g.resources.forEach((r) => resources.add(r));
    g.ids.forEach((i) => ids.add(i));
    unknown ??= g.unknown;
    // The subnets sit beside the security groups in the same network_configuration block.
    subnets.push(...reach.subnetsAt(l.resource, [...l.securityGroups.slice(0, -1), 'subnets']));
  }
  const containers = getAttr(task.values, 'container_definitions');
  return {
    // Unknown groups of one launcher leave the question open even when another launcher's are known.
    securityGroups: { resources, ids, ...(unknown ? { unknown } : {}) },
    environment: containers ? [{ name: 'container_definitions', value: containers, owner: task, path: ['container_definitions'] }] : [],
    roles: graph.referencesAt(task, ['task_role_arn']).map((e) => e.to).filter((r) => r.type === 'aws_iam_role'),
    subnets,
  };
}

/** Launch type words of a launcher's settings, or undefined when not set. */
export function launchType(settings: ObjectValue): Value | undefined {
  return getAttr(settings, 'launch_type');
}

export function capacityProviders(settings: ObjectValue): (string | undefined)[] {
  return blocks(getAttr(settings, 'capacity_provider_strategy')).map((b) => asString(getAttr(b, 'capacity_provider')));
}

// ---- where a launcher's tasks run ----

/** Capacity providers that are Fargate; any other name is an `aws_ecs_capacity_provider` (EC2 or managed instances). */
export const FARGATE_PROVIDERS: readonly string[] = ['FARGATE', 'FARGATE_SPOT'];
const CLUSTER = 'aws_ecs_cluster';
const CLUSTER_PROVIDERS = 'aws_ecs_cluster_capacity_providers';
const CAPACITY_PROVIDER = 'aws_ecs_capacity_provider';

/** One entry of a capacity provider strategy, as far as the configuration tells. */
export interface StrategyEntry {
  /** The resource holding the strategy (the launcher, or the cluster's capacity providers). */
  readonly owner: Resource;
  /** Attribute path of its `capacity_provider` inside `owner`. */
  readonly path: AttrPath;
  /** The provider's name when known. */
  readonly name?: string;
  /** The `aws_ecs_capacity_provider` it names, when that is in the configuration. */
  readonly provider?: Resource;
  /** True for FARGATE/FARGATE_SPOT, false for anything else, undefined when the name cannot be known. */
  readonly fargate: boolean | undefined;
  /** What an unknown name depends on. */
  readonly unknownReason?: string;
}

/** The cluster a launcher starts its tasks in. */
export type ClusterTarget =
  | { readonly kind: 'resource'; readonly cluster: Resource }
  /** A cluster this configuration does not define (a data source, or a name/ARN of another stack's cluster); `label` is the data source's address or the quoted name. */
  | { readonly kind: 'external'; readonly label: string; readonly source?: Resource }
  | { readonly kind: 'unknown'; readonly reason: string };

/** How a launcher's tasks get their capacity, and so whether they run on Fargate. */
export type LaunchPlatform =
  /** `launch_type` decides. */
  | { readonly kind: 'launch-type'; readonly launchType: string; readonly value: Value; readonly fargate: boolean }
  /** The launcher's own `capacity_provider_strategy` decides. */
  | { readonly kind: 'strategy'; readonly entries: readonly StrategyEntry[] }
  /** Neither is set: the cluster's default capacity provider strategy decides. */
  | { readonly kind: 'cluster-default'; readonly cluster: Resource; readonly source: Resource; readonly entries: readonly StrategyEntry[] }
  /** Neither is set and the cluster has no default strategy: AWS uses the EC2 launch type. */
  | { readonly kind: 'ec2-default'; readonly cluster: Resource; readonly source?: Resource }
  /** Cannot be known: `about` says which setting, `reason` what it depends on, `owner` + `path` where it is. */
  | { readonly kind: 'unknown'; readonly about: UnknownSetting; readonly reason: string; readonly owner: Resource; readonly path: AttrPath; readonly value?: Value };

/** The setting that could not be known: the launcher's own, its cluster, or the cluster's default strategy. */
export type UnknownSetting =
  | { readonly kind: 'launch-type' }
  | { readonly kind: 'strategy' }
  | { readonly kind: 'cluster' }
  /** The cluster is known (a resource, or a label for one defined elsewhere) but its default strategy is not. */
  | { readonly kind: 'cluster-default'; readonly cluster: string; readonly external?: true };

/** Whether the platform is Fargate: every strategy entry a Fargate provider; undefined when unknown. */
export function runsOnFargate(p: LaunchPlatform): boolean | undefined {
  switch (p.kind) {
    case 'launch-type': return p.fargate;
    case 'strategy': case 'cluster-default':
      if (p.entries.some((e) => e.fargate === false)) return false;
      return p.entries.every((e) => e.fargate === true) ? true : undefined;
    case 'ec2-default': return false;
    case 'unknown': return undefined;
  }
}

/** Decide where a launcher's tasks run, in the order ECS does: launch type, own strategy, cluster default. */
export function launchPlatform(graph: Graph, l: Launcher): LaunchPlatform {
  const strategyPath = [...l.path, 'capacity_provider_strategy'];
  const strategy = getAttr(l.settings, 'capacity_provider_strategy');
  if (strategy?.kind === 'unknown') return { kind: 'unknown', about: { kind: 'strategy' }, reason: strategy.reason, owner: l.resource, path: strategyPath, value: strategy };
  const entries = strategyEntries(graph, l.resource, strategyPath, strategy);
  if (entries.length) return { kind: 'strategy', entries };

  const ltPath = [...l.path, 'launch_type'];
  const lt = launchTypeValue(l);
  if (lt?.kind === 'string') return { kind: 'launch-type', launchType: lt.value, value: lt, fargate: lt.value === 'FARGATE' };
  if (lt?.kind === 'unknown') return { kind: 'unknown', about: { kind: 'launch-type' }, reason: lt.reason, owner: l.resource, path: ltPath, value: lt };
  if (lt) return { kind: 'unknown', about: { kind: 'launch-type' }, reason: `a value that is not a single word (a ${lt.kind})`, owner: l.resource, path: ltPath, value: lt };

  const target = clusterTarget(graph, l);
  if (target.kind === 'unknown') return { kind: 'unknown', about: { kind: 'cluster' }, reason: target.reason, owner: l.resource, path: l.clusterPath };
  if (target.kind === 'external') {
    return { kind: 'unknown', about: { kind: 'cluster-default', cluster: target.label, external: true }, reason: 'this configuration does not define that cluster', owner: l.resource, path: l.clusterPath };
  }
  return clusterDefault(graph, target.cluster);
}

/** The launch type as set; an unset, empty or (in a plan) provider-computed value counts as not set. */
function launchTypeValue(l: Launcher): Value | undefined {
  const v = getAttr(l.settings, 'launch_type');
  if (!v || v.kind === 'null' || (v.kind === 'string' && v.value === '')) return undefined;
  // A plan shows an omitted Optional+Computed launch_type as "known after apply" on the resource itself,
  // with no reference behind it: the configuration left it to ECS, so the cluster default applies.
  if (v.kind === 'unknown' && !v.marks?.refs?.length && v.reason === `${l.resource.address}.${[...l.path, 'launch_type'].join('.')} (known after apply)`) return undefined;
  return v;
}

/** The entries of a capacity provider strategy list at `path` of `owner`. */
function strategyEntries(graph: Graph, owner: Resource, path: AttrPath, strategy: Value | undefined): StrategyEntry[] {
  return blocks(strategy).map((b, i) => {
    const at = [...path, i, 'capacity_provider'];
    const v = getAttr(b, 'capacity_provider');
    const byRef = graph.referencesAt(owner, at).map((e) => e.to).find((r) => r.type === CAPACITY_PROVIDER && r.mode === 'managed');
    const name = asString(v) ?? (byRef ? asString(getAttr(byRef.values, 'name')) : undefined);
    if (name !== undefined && FARGATE_PROVIDERS.includes(name)) return { owner, path: at, name, fargate: true };
    const provider = byRef ?? (name !== undefined ? namedIn(graph, CAPACITY_PROVIDER, name, owner)[0] : undefined);
    if (name !== undefined || provider) return { owner, path: at, ...(name !== undefined ? { name } : {}), ...(provider ? { provider } : {}), fargate: false };
    const reason = v?.kind === 'unknown' ? v.reason : `a capacity_provider that is not a name (${v?.kind ?? 'missing'})`;
    return { owner, path: at, fargate: undefined, unknownReason: reason };
  });
}

/** The cluster a launcher names: by reference, by name or ARN, or AWS's `default` cluster for a service without one. */
export function clusterTarget(graph: Graph, l: Launcher): ClusterTarget {
  const refs = graph.referencesAt(l.resource, l.clusterPath).map((e) => e.to);
  const managed = refs.find((r) => r.type === CLUSTER && r.mode === 'managed');
  if (managed) return { kind: 'resource', cluster: managed };
  const data = refs.find((r) => r.type === CLUSTER && r.mode === 'data');
  const v = getPath(l.resource.values, l.clusterPath);
  const text = asString(v);
  const absent = !v || v.kind === 'null' || text === '';
  const name = absent && l.kind === 'service' ? 'default' : text !== undefined ? clusterName(text) : undefined;
  if (name !== undefined) {
    const named = namedIn(graph, CLUSTER, name, l.resource)[0];
    if (named) return { kind: 'resource', cluster: named };
  }
  if (data) return { kind: 'external', label: data.address, source: data };
  if (name !== undefined) return { kind: 'external', label: `"${name}"` };
  return { kind: 'unknown', reason: v?.kind === 'unknown' ? v.reason : 'the cluster it launches into' };
}

/** Managed resources of a type whose known `name` is the one given, in the same root module as `near`
 *  (a name written as a literal links within one deployment, not across the roots of a monorepo). */
function namedIn(graph: Graph, type: string, name: string, near: Resource): Resource[] {
  return graph.ofType(type).filter((r) => r.mode === 'managed' && r.root === near.root && asString(getAttr(r.values, 'name')) === name);
}

/** `arn:aws:ecs:region:account:cluster/NAME` → NAME; a plain name stays as it is. */
function clusterName(text: string): string {
  const m = /^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\/(.+)$/.exec(text);
  return m ? m[1] : text;
}

/** The default capacity provider strategy of a cluster in the configuration. */
function clusterDefault(graph: Graph, cluster: Resource): LaunchPlatform {
  const name = asString(getAttr(cluster.values, 'name'));
  for (const cp of graph.ofType(CLUSTER_PROVIDERS).filter((x) => x.root === cluster.root)) {
    const clusterName = getAttr(cp.values, 'cluster_name');
    const linked = graph.referencesAt(cp, ['cluster_name']).some((e) => e.to === cluster) || (name !== undefined && asString(clusterName) === name);
    if (!linked) {
      // One whose cluster cannot be known might be this cluster's: the default is then unknown too.
      if (clusterName?.kind === 'unknown' && !clusterName.marks?.refs?.length) return { kind: 'unknown', about: { kind: 'cluster-default', cluster: cluster.address }, reason: `the cluster_name of ${cp.address}, ${clusterName.reason}`, owner: cp, path: ['cluster_name'] };
      continue;
    }
    const strategy = getAttr(cp.values, 'default_capacity_provider_strategy');
    if (strategy?.kind === 'unknown') return { kind: 'unknown', about: { kind: 'cluster-default', cluster: cluster.address }, reason: strategy.reason, owner: cp, path: ['default_capacity_provider_strategy'], value: strategy };
    const entries = strategyEntries(graph, cp, ['default_capacity_provider_strategy'], strategy);
    return entries.length ? { kind: 'cluster-default', cluster, source: cp, entries } : { kind: 'ec2-default', cluster, source: cp };
  }
  // AWS provider v4 and older set the default on the cluster itself.
  const legacy = strategyEntries(graph, cluster, ['default_capacity_provider_strategy'], getAttr(cluster.values, 'default_capacity_provider_strategy'));
  if (legacy.length) return { kind: 'cluster-default', cluster, source: cluster, entries: legacy };
  return { kind: 'ec2-default', cluster };
}

// ---- what starts a launcher ----

/** The schedule behind a launcher: the Scheduler schedule itself, or the EventBridge rule with a schedule_expression. */
export interface Schedule {
  readonly resource: Resource;
  /** The expression when known (`rate(1 day)`, `cron(0 3 * * ? *)`). */
  readonly expression?: string;
}

export function scheduleOf(graph: Graph, l: Launcher): Schedule | undefined {
  if (l.resource.type === 'aws_scheduler_schedule') return withExpression(l.resource);
  if (l.resource.type !== 'aws_cloudwatch_event_target') return undefined;
  const byRef = graph.referencesAt(l.resource, ['rule']).map((e) => e.to).filter((r) => r.type === 'aws_cloudwatch_event_rule');
  const name = asString(getAttr(l.resource.values, 'rule'));
  const rules = byRef.length ? byRef : name !== undefined ? namedIn(graph, 'aws_cloudwatch_event_rule', name, l.resource) : [];
  for (const rule of rules) {
    const expr = getAttr(rule.values, 'schedule_expression');
    // Present and not null means a scheduled rule, even when the expression itself is unknown.
    if (expr && expr.kind !== 'null' && !(expr.kind === 'string' && expr.value === '')) return withExpression(rule);
  }
  return undefined;
}

function withExpression(r: Resource): Schedule {
  const expression = asString(getAttr(r.values, 'schedule_expression'));
  return expression !== undefined ? { resource: r, expression } : { resource: r };
}

/** Services that run the task: long-running (ADR030's application code), and behind HTTP when they have a `load_balancer`. */
export function servicesRunning(graph: Graph, task: Resource): Resource[] {
  return ecsLaunchers(graph).filter((l) => l.kind === 'service' && l.task === task).map((l) => l.resource);
}
