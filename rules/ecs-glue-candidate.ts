/**
 * ecs-glue-candidate: ADR030 puts small scheduled jobs that need no persistent data store on
 * Lambda (in Ruby), and keeps ECS Fargate for application code and data-store jobs. Notes an ECS
 * task definition that is only started on a schedule (EventBridge rule with a
 * schedule_expression, or EventBridge Scheduler), reaches no data store (the shared
 * DatastoreReach query) and is not also run by a service (long-running, or behind HTTP) — glue code
 * by the ADR's criteria.
 */
import { DatastoreReach } from '../src/graph/datastore-reach';
import { ecsLaunchers, scheduleOf, servicesRunning, taskWorkload, type Launcher, type Schedule } from '../src/graph/ecs-tasks';
import type { Resource } from '../src/model/model';
import { resourceContext, type RelatedLocation, type Rule, type RuleContext } from '../src/rule';
import { storeTypes } from './lambda-no-datastore';

const rule: Rule = {
  meta: {
    id: 'ecs-glue-candidate',
    name: 'EcsGlueCandidate',
    shortDescription: 'Scheduled ECS tasks that reach no data store are glue code for Lambda',
    fullDescription:
      'ADR030 runs short-lived, infrequent glue code that needs no persistent data storage on AWS Lambda in Ruby, ' +
      'and keeps ECS Fargate for application code and jobs that need the data stores. Notes an ECS task definition ' +
      'started on a schedule (an EventBridge rule with a schedule_expression, or an EventBridge Scheduler schedule) ' +
      'that reaches no RDS, Aurora, RDS Proxy, ElastiCache or MemoryDB store (by security group, environment or IAM) ' +
      'and is not also run by an ECS service (long-running, or behind a load balancer).',
    defaultLevel: 'note',
    securitySeverity: '1.0',
    precision: 'medium',
    tags: ['adr030', 'ecs', 'lambda', 'glue-code', 'architecture'],
    adr: 'We will use AWS Lambda for workloads that … are infrequently run (including on a schedule) … do not require access to persistent data storage',
  },

  check(ctx: RuleContext): void {
    // The same store types as lambda-no-datastore (its extraStoreTypes option), so the two rules agree on "data store".
    const reach = new DatastoreReach(ctx.graph, storeTypes(ctx.options));
    const byTask = new Map<Resource, { launcher: Launcher; schedule: Schedule }[]>();
    for (const l of ecsLaunchers(ctx.graph)) {
      // A task definition read by a data source is defined elsewhere: its containers and role are not here to judge.
      if (!l.task || l.task.mode !== 'managed') continue;
      const schedule = scheduleOf(ctx.graph, l);
      if (!schedule) continue;
      const list = byTask.get(l.task) ?? [];
      list.push({ launcher: l, schedule });
      byTask.set(l.task, list);
    }
    for (const [task, runs] of byTask) {
      // A task a service also runs is a long-running process (behind HTTP when load-balanced): application code.
      if (servicesRunning(ctx.graph, task).length) continue;
      const w = taskWorkload(ctx.graph, reach, task);
      if (reach.reach(w).length) continue;
      // Security groups that cannot be known might admit it to a store: no suggestion then.
      if (w.securityGroups.unknown && reach.hasStores) continue;
      ctx.report({
        address: task.address,
        pointer: task.pointer,
        related: related(task, runs),
        message: message(task, runs, reach.hasStores),
      });
    }
  },
};

function related(task: Resource, runs: readonly { launcher: Launcher; schedule: Schedule }[]): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const { launcher, schedule } of runs) {
    if (schedule.resource !== launcher.resource) out.push({ pointer: schedule.resource.pointer, message: `schedule ${scheduleWords(schedule)}` });
    const block = launcher.path[launcher.path.length - 2];
    out.push({ pointer: launcher.resource.attributePointer(launcher.path), message: `${String(block)} of ${launcher.resource.address}${schedule.resource === launcher.resource ? ` (${schedule.expression ?? 'schedule'})` : ''}` });
  }
  // The task definition block is the location itself; only its module calls are added.
  out.push(...resourceContext(task).slice(1));
  return out;
}

function scheduleWords(s: Schedule): string {
  return `${s.resource.address}${s.expression ? ` "${s.expression}"` : ''}`;
}

function message(task: Resource, runs: readonly { launcher: Launcher; schedule: Schedule }[], storesInConfig: boolean): string {
  const schedules = [...new Set(runs.map(({ schedule }) => scheduleWords(schedule)))];
  const reachWords = storesInConfig
    ? 'reaches none of the data stores in this configuration (no security group path, environment reference or IAM connect grant)'
    : 'reaches no data store (this configuration defines none)';
  return `ECS task definition ${task.address} is only started on a schedule, by ${schedules.join(' and ')}, and ${reachWords}: ` +
    'short, infrequent glue code, which ADR030 runs on AWS Lambda in Ruby rather than on ECS. ' +
    'Consider a Ruby Lambda function on the same schedule; keep it on Fargate if it is long-running, needs the application\'s code, or reaches a data store defined elsewhere (and suppress this note with that reason).';
}

export default rule;
