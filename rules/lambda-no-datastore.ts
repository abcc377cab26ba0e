/**
 * lambda-no-datastore: ADR030's glue code does "not require access to persistent data storage";
 * data-store jobs belong on ECS Fargate. Reports a function that can reach RDS, Aurora, RDS Proxy,
 * ElastiCache or MemoryDB (plus configured store types) through its security groups, the address
 * ranges the store admits, its environment or IAM role — the shared DatastoreReach query — and
 * names the ECS task definition that already reaches the same store, when there is one.
 */
import { DatastoreReach, DEFAULT_STORE_TYPES, describePath, type StoreReach, type StoreType, type Workload } from '../src/graph/datastore-reach';
import { ecsTasks, taskWorkload } from '../src/graph/ecs-tasks';
import type { Graph } from '../src/graph/graph';
import { LAMBDA_FUNCTION } from '../src/graph/lambda-links';
import type { Resource } from '../src/model/model';
import { blocks, getAttr } from '../src/model/value';
import { resourceContext, type RelatedLocation, type Rule, type RuleContext, type RuleOptions } from '../src/rule';

const ADR_SENTENCE = 'do not require access to persistent data storage';

/** `extraStoreTypes`: resource types (or `{type, securityGroups}`) to treat as data stores too. */
export function storeTypes(options: RuleOptions): StoreType[] {
  const extra = Array.isArray(options.extraStoreTypes) ? options.extraStoreTypes : [];
  const out = [...DEFAULT_STORE_TYPES];
  for (const e of extra) {
    if (typeof e === 'string') out.push({ type: e, label: e, securityGroups: e.includes('elasticache') || e.includes('memorydb') ? 'security_group_ids' : 'vpc_security_group_ids' });
    else if (e && typeof e === 'object' && typeof (e as StoreType).type === 'string') {
      const t = e as StoreType;
      out.push({ type: t.type, label: t.label ?? t.type, securityGroups: t.securityGroups ?? 'vpc_security_group_ids' });
    }
  }
  return out;
}

/** What a function brings: its VPC security groups and subnets, environment variables and execution role. */
export function functionWorkload(graph: Graph, reach: DatastoreReach, fn: Resource): Workload {
  const environment: Workload['environment'][number][] = [];
  blocks(getAttr(fn.values, 'environment')).forEach((env, i) => {
    const vars = getAttr(env, 'variables');
    if (vars?.kind === 'object') for (const [name, value] of vars.entries) environment.push({ name, value, owner: fn, path: ['environment', i, 'variables', name] });
    else if (vars) environment.push({ name: 'variables', value: vars, owner: fn, path: ['environment', i, 'variables'] });
  });
  return {
    resource: fn,
    securityGroups: reach.groupsAt(fn, ['vpc_config', '*', 'security_group_ids']),
    subnets: reach.subnetsAt(fn, ['vpc_config', '*', 'subnet_ids']),
    environment,
    roles: graph.referencesAt(fn, ['role']).map((e) => e.to).filter((r) => r.type === 'aws_iam_role'),
  };
}

const rule: Rule = {
  meta: {
    id: 'lambda-no-datastore',
    name: 'LambdaNoDatastore',
    shortDescription: 'Lambda functions must not reach persistent data stores',
    fullDescription:
      'ADR030 keeps jobs that need persistent data stores on ECS Fargate. Reports a function that can reach ' +
      'RDS, Aurora, RDS Proxy, ElastiCache or MemoryDB: its VPC security groups are admitted by (or shared with, ' +
      'or have egress to) the store\'s groups, the store\'s groups admit an address range that holds its subnets, ' +
      'its environment references the store, or its role grants rds-db:connect, rds-data:* or elasticache:Connect.',
    defaultLevel: 'error',
    securitySeverity: '6.0',
    precision: 'high',
    tags: ['adr030', 'lambda', 'datastore', 'architecture'],
    adr: 'We will use AWS Lambda for workloads that … do not require access to persistent data storage',
  },

  check(ctx: RuleContext): void {
    const reach = new DatastoreReach(ctx.graph, storeTypes(ctx.options));
    const tasks = ecsTasks(ctx.graph);
    const taskReach = new Map(tasks.map((t) => [t, reach.reach(taskWorkload(ctx.graph, reach, t))]));
    for (const fn of ctx.graph.ofType(LAMBDA_FUNCTION)) {
      const w = functionWorkload(ctx.graph, reach, fn);
      const found = reach.reach(w);
      // One finding per function, naming every store it reaches and how.
      if (found.length) report(ctx, fn, found, found.map((r) => suggestion(r, taskReach)).find(Boolean));
      if (!found.length && w.securityGroups.unknown && reach.hasStores) {
        ctx.report({
          level: 'warning',
          address: fn.address,
          pointer: fn.attributePointer(['vpc_config', 0, 'security_group_ids']),
          related: resourceContext(fn),
          discriminator: 'unknown-security-groups',
          message: `could not decide whether ${fn.address} reaches a data store: its VPC security groups depend on ${w.securityGroups.unknown}.`,
        });
      }
    }
  },
};

/** The ECS task definition that already reaches the same store: where this job belongs. */
function suggestion(r: StoreReach, taskReach: Map<Resource, StoreReach[]>): Resource | undefined {
  for (const [task, reaches] of taskReach) {
    if (reaches.some((x) => (r.store ? x.store === r.store : !x.store && x.storeLabel === r.storeLabel))) return task;
  }
  return undefined;
}

function report(ctx: RuleContext, fn: Resource, reaches: readonly StoreReach[], task: Resource | undefined): void {
  const first = reaches[0].paths[0];
  const pointer = first.kind === 'env' ? fn.attributePointer(first.path)
    : first.kind === 'iam' ? fn.attributePointer(['role'])
    : first.kind === 'rotation' ? fn.pointer
    : first.kind === 'cidr' ? fn.attributePointer(['vpc_config', 0, 'subnet_ids'])
    : fn.attributePointer(['vpc_config', 0, 'security_group_ids']);
  const related: RelatedLocation[] = [];
  for (const r of reaches) related.push(...reachLocations(r));
  related.push(...resourceContext(fn));
  if (task) related.push({ pointer: task.pointer, message: `ECS task definition ${task.address} already reaches it` });
  const how = reaches.map((r) => `${r.store ? `${r.storeLabel} ${r.store.address}` : r.storeLabel} (${r.paths.map(describePath).join('; ')})`);
  const move = task ? `run this job as ECS task ${task.address}, which already reaches ${reaches.length > 1 ? 'one of them' : 'it'}` : 'run this job on ECS Fargate (for example as a Rake task in the application image)';
  ctx.report({
    address: fn.address,
    pointer,
    related,
    message: `${fn.address} can reach ${how.length > 1 ? `${how.slice(0, -1).join(', ')} and ${how[how.length - 1]}` : how[0]}. ADR030 keeps Lambda for glue code that does not need persistent data storage ("${ADR_SENTENCE}"); ${move}.`,
  });
}

/** The store and whatever links the function to it: rules, shared groups, policies, rotations, subnets. */
function reachLocations(r: StoreReach): RelatedLocation[] {
  const related: RelatedLocation[] = [];
  if (r.store) related.push({ pointer: r.store.pointer, message: `${r.storeLabel} ${r.store.address}` });
  for (const p of r.paths) {
    if (p.kind === 'sg-rule') related.push({ pointer: p.rule.attributePointer(p.path), message: `security group rule ${p.rule.address}` });
    if (p.kind === 'shared-sg' && p.via) related.push({ pointer: p.via.pointer, message: `shared security group ${p.via.address}` });
    if (p.kind === 'iam' && p.policy) related.push({ pointer: p.policy.pointer, message: `policy ${p.policyLabel}` });
    if (p.kind === 'rotation') related.push({ pointer: p.rotation.pointer, message: `secret rotation ${p.rotation.address}` });
    if (p.kind === 'cidr') {
      const range = p.range ?? p.rangeSource ?? 'a range';
      related.push({ pointer: p.rule.attributePointer(p.path), message: p.rule === p.group ? `ingress rule of ${p.group.address} admits ${range}` : `ingress rule ${p.rule.address} admits ${range}` });
      if (p.subnet.resource) related.push({ pointer: p.subnet.resource.pointer, message: `subnet ${p.subnet.resource.address}` });
    }
  }
  return related;
}

export default rule;
