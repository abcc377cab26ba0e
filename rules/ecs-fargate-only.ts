/**
 * ecs-fargate-only: ADR030 runs application code and data-store jobs "in containers on AWS ECS on
 * Fargate". Warns about an ECS service, EventBridge ECS target or Scheduler ECS target whose tasks
 * do not run on Fargate: a non-Fargate launch_type, a capacity provider strategy naming an
 * EC2/managed-instances capacity provider, or — when neither is set — the cluster's default
 * strategy (or, with none, the EC2 launch type AWS falls back to). Says so when it cannot tell.
 */
import { ecsLaunchers, FARGATE_PROVIDERS, launchPlatform, type LaunchPlatform, type Launcher, type StrategyEntry, type UnknownSetting } from '../src/graph/ecs-tasks';
import type { Resource } from '../src/model/model';
import { pointerKey, type SourcePointer } from '../src/model/source';
import { asString, getAttr, stringItems, type Value } from '../src/model/value';
import { resourceContext, type RelatedLocation, type Rule, type RuleContext } from '../src/rule';

const ADR_SENTENCE = 'Our application code runs in containers on AWS ECS on Fargate';

const rule: Rule = {
  meta: {
    id: 'ecs-fargate-only',
    name: 'EcsFargateOnly',
    shortDescription: 'ECS services and scheduled ECS tasks must run on Fargate',
    fullDescription:
      'ADR030 runs application code and data-store jobs on ECS Fargate. Warns about an aws_ecs_service, an ' +
      'EventBridge target with ecs_target or a Scheduler schedule with ecs_parameters whose tasks do not run on ' +
      'Fargate: launch_type EC2, EXTERNAL or MANAGED_INSTANCES; a capacity_provider_strategy naming anything but ' +
      'FARGATE or FARGATE_SPOT; or, with neither set, a cluster default strategy that is not Fargate or no ' +
      'default strategy at all (AWS then uses the EC2 launch type). Warns as well when this cannot be determined.',
    defaultLevel: 'warning',
    securitySeverity: '2.0',
    precision: 'high',
    tags: ['adr030', 'ecs', 'fargate', 'architecture'],
    adr: 'Our application code runs in containers on AWS ECS on Fargate',
  },

  check(ctx: RuleContext): void {
    for (const l of ecsLaunchers(ctx.graph)) {
      const p = launchPlatform(ctx.graph, l);
      const f = judge(l, p);
      if (f) ctx.report({ ...f, address: l.resource.address });
    }
  },
};

interface Verdict {
  readonly message: string;
  readonly pointer: SourcePointer;
  readonly related: RelatedLocation[];
  readonly discriminator: string;
}

/** A finding for a launcher that does not (or may not) run on Fargate; undefined when it does. */
function judge(l: Launcher, p: LaunchPlatform): Verdict | undefined {
  const who = subject(l);
  const discriminator = l.path.length ? l.path.join('.') : 'service';
  const fix = `ADR030 runs application code and data-store jobs on ECS Fargate: set launch_type = "FARGATE" (or a capacity_provider_strategy of FARGATE/FARGATE_SPOT)${taskChanges(l.task)}.`;
  switch (p.kind) {
    case 'launch-type': {
      if (p.fargate) return undefined;
      const site = valueSite(l.resource, [...l.path, 'launch_type'], p.value, launcherContext(l));
      return { pointer: site.pointer, related: site.related, discriminator, message: `${who} uses launch_type "${p.launchType}"${site.from}, so its tasks do not run on Fargate. ${fix}` };
    }
    case 'strategy': {
      const bad = p.entries.filter((e) => e.fargate === false);
      if (bad.length) {
        return { pointer: l.resource.attributePointer(bad[0].path), related: [...providerContext(bad), ...launcherContext(l)], discriminator,
          message: `${who} places its tasks with a capacity provider strategy that names ${bad.map(describeEntry).join(', ')}, not ${FARGATE_PROVIDERS.join('/')}. ${fix}` };
      }
      const open = p.entries.find((e) => e.fargate === undefined);
      if (!open) return undefined;
      return { pointer: l.resource.attributePointer(open.path), related: launcherContext(l), discriminator: `${discriminator}|unknown`,
        message: `${who}: could not determine whether its tasks run on Fargate: its capacity provider depends on ${open.unknownReason}. Give the value (tfvars, --var) or name FARGATE/FARGATE_SPOT literally.` };
    }
    case 'cluster-default': {
      const bad = p.entries.filter((e) => e.fargate === false);
      const open = p.entries.find((e) => e.fargate === undefined);
      if (!bad.length && !open) return undefined;
      const cause = bad.length ? bad : [open!];
      const related = [{ pointer: p.source.attributePointer(cause[0].path), message: `default capacity provider strategy of ${p.cluster.address} (${p.source.address})` }, ...providerContext(cause), ...launcherContext(l)];
      const settings = `sets neither launch_type nor capacity_provider_strategy, so the default capacity provider strategy of ${p.cluster.address} decides`;
      if (bad.length) {
        return { pointer: blockPointer(l), related: atBlock(l, related), discriminator,
          message: `${who} ${settings}, and it names ${bad.map(describeEntry).join(', ')}, not ${FARGATE_PROVIDERS.join('/')}. ${fix}` };
      }
      return { pointer: blockPointer(l), related: atBlock(l, related), discriminator: `${discriminator}|unknown`,
        message: `${who}: could not determine whether its tasks run on Fargate: it ${settings}, whose capacity provider depends on ${open!.unknownReason}. Set launch_type = "FARGATE" on it to make it explicit.` };
    }
    case 'ec2-default': {
      const related: RelatedLocation[] = [{ pointer: p.cluster.pointer, message: `${p.cluster.type} ${p.cluster.address}` }];
      if (p.source) related.push({ pointer: p.source.pointer, message: `${p.source.address} sets no default_capacity_provider_strategy` });
      related.push(...launcherContext(l));
      return { pointer: blockPointer(l), related: atBlock(l, related), discriminator,
        message: `${who} sets neither launch_type nor capacity_provider_strategy, and cluster ${p.cluster.address} has no default capacity provider strategy, so AWS launches its tasks with the EC2 launch type. ${fix}` };
    }
    case 'unknown': {
      const own = p.owner === l.resource;
      const site = own && p.about.kind === 'launch-type'
        ? valueSite(l.resource, p.path, p.value, launcherContext(l))
        : own ? { pointer: l.resource.attributePointer(p.path), related: launcherContext(l), from: '' }
        : { pointer: blockPointer(l), related: atBlock(l, [{ pointer: p.owner.attributePointer(p.path), message: `${p.path.join('.')} of ${p.owner.address}` }, ...launcherContext(l)]), from: '' };
      return { pointer: site.pointer, related: site.related, discriminator: `${discriminator}|unknown`,
        message: `${who}: could not determine whether its tasks run on Fargate: ${unknownWords(p.about, p.reason)}. Give the value (tfvars, --var), or set launch_type = "FARGATE" on it explicitly.` };
    }
  }
}

/** Why the platform is unknown, in words. */
function unknownWords(about: UnknownSetting, reason: string): string {
  const neither = 'it sets neither launch_type nor capacity_provider_strategy, so';
  switch (about.kind) {
    case 'launch-type': return `its launch_type depends on ${reason}`;
    case 'strategy': return `its capacity_provider_strategy depends on ${reason}`;
    case 'cluster': return `${neither} its cluster's default capacity provider strategy decides, and the cluster depends on ${reason}`;
    case 'cluster-default': return `${neither} the default capacity provider strategy of cluster ${about.cluster} decides, and ${about.external ? reason : `that depends on ${reason}`}`;
  }
}

/** What the task definition must change to run on Fargate, as far as its known values tell. */
function taskChanges(task: Resource | undefined): string {
  if (!task || task.mode !== 'managed') return '';
  const needs: string[] = [];
  const compat = getAttr(task.values, 'requires_compatibilities');
  const compatKnown = compat?.kind === 'list' && compat.items.every((i) => i.kind === 'string');
  if (!compat || compat.kind === 'null' || (compatKnown && !stringItems(compat).some((i) => asString(i) === 'FARGATE'))) needs.push('requires_compatibilities including "FARGATE"');
  const mode = asString(getAttr(task.values, 'network_mode'));
  if (mode !== 'awsvpc' && getAttr(task.values, 'network_mode')?.kind !== 'unknown') needs.push('network_mode = "awsvpc"');
  return needs.length ? `; task definition ${task.address} also needs ${needs.join(' and ')}` : '';
}

/** "ECS service aws_ecs_service.web (task definition …)", "ECS task launch of aws_cloudwatch_event_target.nightly (ecs_target, …)". */
function subject(l: Launcher): string {
  const task = l.task ? `task definition ${l.task.address}` : '';
  if (l.kind === 'service') return `ECS service ${l.resource.address}${task ? ` (${task})` : ''}`;
  const block = l.resource.type === 'aws_scheduler_schedule' ? 'ecs_parameters' : 'ecs_target';
  return `ECS task launch of ${l.resource.address} (${block}${task ? `, ${task}` : ''})`;
}

/** The service block, or the ecs_target / ecs_parameters block of a scheduled launch. */
function blockPointer(l: Launcher): SourcePointer {
  return l.path.length ? l.resource.attributePointer(l.path) : l.resource.pointer;
}

/** Related locations of a finding at the launcher's block: the resource block is then the location itself. */
function atBlock(l: Launcher, related: RelatedLocation[]): RelatedLocation[] {
  return l.path.length ? related : related.filter((r) => pointerKey(r.pointer) !== pointerKey(l.resource.pointer));
}

function launcherContext(l: Launcher): RelatedLocation[] {
  const out = resourceContext(l.resource);
  if (l.task) out.push({ pointer: l.task.pointer, message: `task definition ${l.task.address}` });
  return out;
}

function providerContext(entries: readonly StrategyEntry[]): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  for (const e of entries) if (e.provider) out.push({ pointer: e.provider.pointer, message: `${providerKind(e.provider)} ${e.provider.address}` });
  return out;
}

function describeEntry(e: StrategyEntry): string {
  const name = e.name !== undefined ? `"${e.name}"` : '';
  if (!e.provider) return `capacity provider ${name}`;
  return `${providerKind(e.provider)} ${name ? `${name} ` : ''}(${e.provider.address})`;
}

/** What kind of capacity an `aws_ecs_capacity_provider` gives. */
function providerKind(p: Resource): string {
  if (getAttr(p.values, 'managed_instances_provider')) return 'ECS Managed Instances capacity provider';
  if (getAttr(p.values, 'auto_scaling_group_provider')) return 'EC2 Auto Scaling group capacity provider';
  return 'EC2 capacity provider';
}

/**
 * Where a finding about an attribute's value goes: where the value was supplied (a tfvars line, a
 * variable default, a module argument) with the attribute as related, else at the attribute.
 */
function valueSite(r: Resource, path: readonly (string | number)[], value: Value | undefined, related: RelatedLocation[]): { pointer: SourcePointer; related: RelatedLocation[]; from: string } {
  const attr = r.attributePointer(path);
  const origin = value?.marks?.origin;
  if (!origin || pointerKey(origin.pointer) === pointerKey(attr)) return { pointer: attr, related, from: '' };
  return { pointer: origin.pointer, related: [{ pointer: attr, message: `${path.join('.')} of ${r.address}` }, ...related], from: origin.via ? ` (from ${origin.via})` : '' };
}

export default rule;
