/**
 * ECS task definitions and what launches them: services, EventBridge rule targets and
 * EventBridge Scheduler schedules — with the launch settings and network of each, so rules can
 * ask "does this task run on Fargate?" and "what does this task reach?".
 */
import type { Resource } from '../model/model';
import { asString, blocks, getAttr, type ObjectValue, type Value } from '../model/value';
import type { DatastoreReach, SecurityGroups, Workload } from './datastore-reach';
import type { Graph } from './graph';

export type LauncherKind = 'service' | 'scheduled';

export interface Launcher {
  readonly resource: Resource;
  readonly kind: LauncherKind;
  /** Attribute path of the block holding launch settings (`[]` for a service, `['ecs_target', 0]`). */
  readonly path: readonly (string | number)[];
  readonly settings: ObjectValue;
  /** Pattern of the security groups list, relative to the resource. */
  readonly securityGroups: readonly (string | '*')[];
  /** The task definition it runs (when it refers to one in the configuration). */
  readonly task?: Resource;
}

const TASK_DEF = 'aws_ecs_task_definition';

/** Every service and scheduled launch of an ECS task in the model. */
export function ecsLaunchers(graph: Graph): Launcher[] {
  const out: Launcher[] = [];
  const taskAt = (r: Resource, path: (string | number)[]): Resource | undefined =>
    graph.referencesAt(r, path).map((e) => e.to).find((t) => t.type === TASK_DEF);
  for (const svc of graph.ofType('aws_ecs_service')) {
    out.push({ resource: svc, kind: 'service', path: [], settings: svc.values, securityGroups: ['network_configuration', '*', 'security_groups'], task: taskAt(svc, ['task_definition']) });
  }
  for (const t of graph.ofType('aws_cloudwatch_event_target')) {
    blocks(getAttr(t.values, 'ecs_target')).forEach((settings, i) => {
      out.push({ resource: t, kind: 'scheduled', path: ['ecs_target', i], settings, securityGroups: ['ecs_target', i, 'network_configuration', '*', 'security_groups'] as (string | '*')[], task: taskAt(t, ['ecs_target', i, 'task_definition_arn']) });
    });
  }
  for (const s of graph.ofType('aws_scheduler_schedule')) {
    blocks(getAttr(s.values, 'target')).forEach((target, i) => {
      blocks(getAttr(target, 'ecs_parameters')).forEach((settings, j) => {
        out.push({ resource: s, kind: 'scheduled', path: ['target', i, 'ecs_parameters', j], settings, securityGroups: ['target', i, 'ecs_parameters', j, 'network_configuration', '*', 'security_groups'] as (string | '*')[], task: taskAt(s, ['target', i, 'ecs_parameters', j, 'task_definition_arn']) });
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
  for (const l of ecsLaunchers(graph).filter((x) => x.task === task)) {
    const g: SecurityGroups = reach.groupsAt(l.resource, l.securityGroups);
    g.resources.forEach((r) => resources.add(r));
    g.ids.forEach((i) => ids.add(i));
  }
  const containers = getAttr(task.values, 'container_definitions');
  return {
    securityGroups: { resources, ids },
    environment: containers ? [{ name: 'container_definitions', value: containers, owner: task, path: ['container_definitions'] }] : [],
    roles: graph.referencesAt(task, ['task_role_arn']).map((e) => e.to).filter((r) => r.type === 'aws_iam_role'),
  };
}

/** Launch type words of a launcher's settings, or undefined when not set. */
export function launchType(settings: ObjectValue): Value | undefined {
  return getAttr(settings, 'launch_type');
}

export function capacityProviders(settings: ObjectValue): (string | undefined)[] {
  return blocks(getAttr(settings, 'capacity_provider_strategy')).map((b) => asString(getAttr(b, 'capacity_provider')));
}
