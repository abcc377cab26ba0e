/**
 * What a workload (a Lambda function, an ECS task) can reach among the persistent data stores:
 * through its security groups (shared, admitted by the store's ingress, or its own egress to the
 * store), through environment values that reference a store, or through IAM actions on its role
 * that connect to one. One query for every rule that asks.
 */
import type { Resource } from '../model/model';
import { asString, blocks, collectRefs, getAttr, stringItems, type Value } from '../model/value';
import type { Graph } from './graph';
import { matchesPattern, type PathPattern } from './lambda-links';

/** A data-store resource type and the attribute holding its security groups. */
export interface StoreType {
  readonly type: string;
  readonly label: string;
  /** Attribute with the store's security group IDs; absent when groups come from a parent (cluster). */
  readonly securityGroups?: string;
  /** Attribute that refers to the parent whose groups apply (`cluster_identifier`). */
  readonly parent?: string;
}

export const DEFAULT_STORE_TYPES: readonly StoreType[] = [
  { type: 'aws_db_instance', label: 'RDS instance', securityGroups: 'vpc_security_group_ids' },
  { type: 'aws_rds_cluster', label: 'Aurora/RDS cluster', securityGroups: 'vpc_security_group_ids' },
  { type: 'aws_rds_cluster_instance', label: 'Aurora/RDS cluster instance', parent: 'cluster_identifier' },
  { type: 'aws_rds_cluster_endpoint', label: 'Aurora cluster endpoint', parent: 'cluster_identifier' },
  { type: 'aws_db_proxy', label: 'RDS Proxy', securityGroups: 'vpc_security_group_ids' },
  { type: 'aws_db_proxy_endpoint', label: 'RDS Proxy endpoint', securityGroups: 'vpc_security_group_ids' },
  { type: 'aws_elasticache_cluster', label: 'ElastiCache cluster', securityGroups: 'security_group_ids' },
  { type: 'aws_elasticache_replication_group', label: 'ElastiCache replication group', securityGroups: 'security_group_ids' },
  { type: 'aws_elasticache_serverless_cache', label: 'ElastiCache Serverless cache', securityGroups: 'security_group_ids' },
  { type: 'aws_memorydb_cluster', label: 'MemoryDB cluster', securityGroups: 'security_group_ids' },
  { type: 'data.aws_db_instance', label: 'RDS instance', securityGroups: 'vpc_security_groups' },
  { type: 'data.aws_rds_cluster', label: 'Aurora/RDS cluster', securityGroups: 'vpc_security_group_ids' },
  { type: 'data.aws_db_proxy', label: 'RDS Proxy', securityGroups: 'vpc_security_group_ids' },
  { type: 'data.aws_elasticache_cluster', label: 'ElastiCache cluster', securityGroups: 'security_group_ids' },
  { type: 'data.aws_elasticache_replication_group', label: 'ElastiCache replication group' },
  { type: 'data.aws_memorydb_cluster', label: 'MemoryDB cluster', securityGroups: 'security_group_ids' },
];

/** IAM actions that open a connection to a store; `*` in a granted action matches any characters. */
export const CONNECT_ACTIONS: readonly { readonly action: string; readonly store: string }[] = [
  { action: 'rds-db:connect', store: 'RDS (IAM database authentication)' },
  { action: 'rds-data:ExecuteStatement', store: 'RDS Data API' },
  { action: 'rds-data:BatchExecuteStatement', store: 'RDS Data API' },
  { action: 'rds-data:BeginTransaction', store: 'RDS Data API' },
  { action: 'elasticache:Connect', store: 'ElastiCache (IAM authentication)' },
];

/** AWS managed policies that grant those actions. */
const MANAGED_POLICY_ACTIONS: Record<string, string[]> = {
  AmazonRDSDataFullAccess: ['rds-data:*'],
};

const SG_TYPES = ['aws_security_group', 'data.aws_security_group'];

/** A set of security groups: the resources referred to, and literal IDs written in configuration. */
export interface SecurityGroups {
  readonly resources: ReadonlySet<Resource>;
  readonly ids: ReadonlySet<string>;
  /** Set when the groups could not be known (a variable with no value). */
  readonly unknown?: string;
}

export type ReachPath =
  | { readonly kind: 'shared-sg'; readonly group: string; readonly via?: Resource }
  | { readonly kind: 'sg-rule'; readonly direction: 'ingress' | 'egress'; readonly rule: Resource; readonly path: readonly (string | number)[]; readonly from: string; readonly to: string }
  /** `via`: the secret or parameter the variable names, whose value holds the store's connection details. */
  | { readonly kind: 'env'; readonly variable: string; readonly path: readonly (string | number)[]; readonly via?: Resource }
  | { readonly kind: 'iam'; readonly action: string; readonly policy: Resource | undefined; readonly policyLabel: string }
  /** The workload rotates a secret that holds the store's connection details: it logs in to change the password. */
  | { readonly kind: 'rotation'; readonly secret: Resource; readonly rotation: Resource };

export interface StoreReach {
  /** The store reached; undefined for IAM grants that name no store resource. */
  readonly store?: Resource;
  readonly storeLabel: string;
  readonly paths: readonly ReachPath[];
}

/** What a workload brings to the question. */
export interface Workload {
  readonly securityGroups: SecurityGroups;
  /** Environment values (name → value) with the attribute path each sits at. */
  readonly environment: readonly { readonly name: string; readonly value: Value; readonly owner: Resource; readonly path: readonly (string | number)[] }[];
  readonly roles: readonly Resource[];
  /** The workload's own resource (the Lambda function), for links that name it: a Secrets
   *  Manager rotation that runs it against the secret of a store. */
  readonly resource?: Resource;
}

export class DatastoreReach {
  private readonly stores: { store: Resource; type: StoreType }[] = [];
  private readonly storeByResource = new Map<Resource, StoreType>();
  private readonly groupsOfStore = new Map<Resource, SecurityGroups>();

  constructor(private readonly graph: Graph, storeTypes: readonly StoreType[] = DEFAULT_STORE_TYPES) {
    for (const t of storeTypes) {
      for (const store of graph.ofType(t.type)) {
        this.stores.push({ store, type: t });
        this.storeByResource.set(store, t);
      }
    }
  }

  get hasStores(): boolean {
    return this.stores.length > 0;
  }

  /** Security groups named by the list at `pattern` in `r` (e.g. `['vpc_config', '*', 'security_group_ids']`). */
  groupsAt(r: Resource, pattern: PathPattern): SecurityGroups {
    const resources = new Set<Resource>();
    const ids = new Set<string>();
    let unknown: string | undefined;
    for (const e of this.graph.references(r)) {
      if (matchesPattern(e.fromPath, pattern) && SG_TYPES.includes(e.to.mode === 'data' ? `data.${e.to.type}` : e.to.type)) resources.add(e.to);
    }
    for (const v of valuesAt(r.values, pattern)) {
      if (v.kind === 'unknown' && !collectRefs(v).length) unknown = v.reason;
      for (const item of stringItems(v)) {
        const s = asString(item);
        if (s && /^sg-[0-9a-f]+$/i.test(s)) ids.add(s);
        if (item.kind === 'unknown' && !item.marks?.refs?.length) unknown = item.reason;
      }
    }
    return { resources, ids, ...(unknown && resources.size === 0 && ids.size === 0 ? { unknown } : {}) };
  }

  /** The security groups of a store (its own, or its cluster's); asked once per workload, so kept. */
  storeGroups(store: Resource, depth = 0): SecurityGroups {
    let groups = this.groupsOfStore.get(store);
    if (!groups) {
      groups = this.readStoreGroups(store, depth);
      this.groupsOfStore.set(store, groups);
    }
    return groups;
  }

  private readStoreGroups(store: Resource, depth: number): SecurityGroups {
    const t = this.storeByResource.get(store);
    if (t?.securityGroups) return this.groupsAt(store, [t.securityGroups]);
    if (t?.parent && depth < 3) {
      const parents = this.graph.referencesAt(store, [t.parent]).map((e) => e.to).filter((p) => this.storeByResource.has(p));
      const resources = new Set<Resource>();
      const ids = new Set<string>();
      for (const p of parents) {
        const g = this.storeGroups(p, depth + 1);
        g.resources.forEach((x) => resources.add(x));
        g.ids.forEach((x) => ids.add(x));
      }
      return { resources, ids };
    }
    return { resources: new Set(), ids: new Set() };
  }

  /** Every store the workload reaches, with how; IAM grants that name no store come last. */
  reach(w: Workload): StoreReach[] {
    const out: StoreReach[] = [];
    const envTargets = this.envTargets(w);
    const rotated = this.rotatedSecrets(w);
    for (const { store, type } of this.stores) {
      const paths = [...this.networkPaths(w.securityGroups, this.storeGroups(store)), ...this.envPaths(envTargets, store), ...this.rotationPaths(rotated, store)];
      if (paths.length) out.push({ store, storeLabel: type.label, paths });
    }
    out.push(...this.iamReach(w.roles));
    return out;
  }

  private networkPaths(mine: SecurityGroups, theirs: SecurityGroups): ReachPath[] {
    const paths: ReachPath[] = [];
    for (const g of mine.resources) if (theirs.resources.has(g)) paths.push({ kind: 'shared-sg', group: g.address, via: g });
    for (const id of mine.ids) if (theirs.ids.has(id)) paths.push({ kind: 'shared-sg', group: id });
    if (paths.length) return paths;
    for (const store of theirs.resources) {
      for (const own of mine.resources) {
        // A rule resource refers to both groups, and references stay within one root module.
        if (own.root !== store.root) continue;
        paths.push(...this.ruleLinks(store, own, 'ingress'));
        paths.push(...this.ruleLinks(own, store, 'egress'));
      }
    }
    return paths;
  }

  /** Rules on `owner` that admit `peer` (ingress) or let `owner` reach `peer` (egress). */
  private ruleLinks(owner: Resource, peer: Resource, direction: 'ingress' | 'egress'): ReachPath[] {
    const out: ReachPath[] = [];
    const [from, to] = direction === 'ingress' ? [peer.address, owner.address] : [owner.address, peer.address];
    // Inline rules: `ingress { security_groups = [peer] }` on the owner group.
    for (const e of this.graph.referencesAt(owner, [direction])) {
      if (e.to === peer && e.fromPath.includes('security_groups')) out.push({ kind: 'sg-rule', direction, rule: owner, path: e.fromPath.slice(0, 2), from, to });
    }
    // Separate rule resources pointing at both groups.
    for (const e of this.graph.referrers(owner)) {
      const rule = e.from;
      if (rule.type === 'aws_security_group_rule' && e.fromPath[0] === 'security_group_id' && asString(getAttr(rule.values, 'type')) === direction) {
        if (this.graph.referencesAt(rule, ['source_security_group_id']).some((x) => x.to === peer)) out.push({ kind: 'sg-rule', direction, rule, path: ['source_security_group_id'], from, to });
      }
      const vpcRuleType = direction === 'ingress' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
      if (rule.type === vpcRuleType && e.fromPath[0] === 'security_group_id') {
        if (this.graph.referencesAt(rule, ['referenced_security_group_id']).some((x) => x.to === peer)) out.push({ kind: 'sg-rule', direction, rule, path: ['referenced_security_group_id'], from, to });
      }
    }
    return dedupeRules(out);
  }

  /** What each environment value of the workload references, resolved once for all stores; and
   *  what the secrets and parameters it names hold (`DB_SECRET_ARN` → a secret whose version's
   *  `secret_string` carries the cluster's endpoint), by the resource held. */
  private envTargets(w: Workload): EnvTargets[] {
    return w.environment.map((env) => {
      const targets = new Set(collectRefs(env.value).flatMap((ref) => this.graph.resolve(ref.address, env.owner)));
      const held = new Map<Resource, Resource>();
      for (const t of targets) for (const h of this.heldBy(t)) if (!held.has(h)) held.set(h, t);
      return { env, targets, held };
    });
  }

  /** Secrets whose rotation runs the workload (`aws_secretsmanager_secret_rotation.rotation_lambda_arn`), with what they hold. */
  private rotatedSecrets(w: Workload): { secret: Resource; rotation: Resource; held: Resource[] }[] {
    if (!w.resource) return [];
    const out: { secret: Resource; rotation: Resource; held: Resource[] }[] = [];
    for (const e of this.graph.referrers(w.resource)) {
      if (e.from.type !== 'aws_secretsmanager_secret_rotation' || e.fromPath[0] !== 'rotation_lambda_arn') continue;
      for (const s of this.graph.referencesAt(e.from, ['secret_id'])) {
        if (s.to.type === 'aws_secretsmanager_secret') out.push({ secret: s.to, rotation: e.from, held: this.heldBy(s.to) });
      }
    }
    return out;
  }

  private rotationPaths(rotated: readonly { secret: Resource; rotation: Resource; held: Resource[] }[], store: Resource): ReachPath[] {
    return rotated.filter((r) => r.held.includes(store)).map((r) => ({ kind: 'rotation', secret: r.secret, rotation: r.rotation }));
  }

  /** Resources whose connection details a secret or an SSM parameter holds. */
  private heldBy(r: Resource): Resource[] {
    const at = (holder: Resource, attr: string): Resource[] => this.graph.referencesAt(holder, [attr]).map((e) => e.to);
    switch (r.type) {
      case 'aws_secretsmanager_secret':
        return this.graph.referrers(r)
          .filter((e) => e.from.type === 'aws_secretsmanager_secret_version' && e.fromPath[0] === 'secret_id')
          .flatMap((e) => at(e.from, 'secret_string'));
      case 'aws_secretsmanager_secret_version': return at(r, 'secret_string');
      case 'aws_ssm_parameter': return [...at(r, 'value'), ...at(r, 'insecure_value')];
      default: return [];
    }
  }

  private envPaths(envTargets: readonly EnvTargets[], store: Resource): ReachPath[] {
    const out: ReachPath[] = [];
    for (const { env, targets, held } of envTargets) {
      if (targets.has(store)) out.push({ kind: 'env', variable: env.name, path: env.path });
      else if (held.has(store)) out.push({ kind: 'env', variable: env.name, path: env.path, via: held.get(store) });
    }
    return out;
  }

  /** IAM grants on the roles: policies inline, attached, in policy documents, or AWS managed. */
  private iamReach(roles: readonly Resource[]): StoreReach[] {
    const out: StoreReach[] = [];
    for (const role of roles) {
      for (const { policy, label, statements } of this.policiesOf(role)) {
        for (const s of statements) {
          if (s.effect !== 'Allow') continue;
          const granted = CONNECT_ACTIONS.filter((c) => s.actions.some((a) => actionMatches(a, c.action)));
          if (!granted.length) continue;
          const action = s.actions.find((a) => granted.some((g) => actionMatches(a, g.action)))!;
          out.push({ storeLabel: granted[0].store, paths: [{ kind: 'iam', action, policy, policyLabel: label }] });
        }
      }
    }
    return out;
  }

  private policiesOf(role: Resource): { policy: Resource | undefined; label: string; statements: Statement[] }[] {
    const out: { policy: Resource | undefined; label: string; statements: Statement[] }[] = [];
    for (const inline of blocks(getAttr(role.values, 'inline_policy'))) {
      out.push({ policy: role, label: `inline policy of ${role.address}`, statements: this.statementsOf(getAttr(inline, 'policy'), role) });
    }
    for (const e of this.graph.referrers(role)) {
      const r = e.from;
      if (r.type === 'aws_iam_role_policy' && e.fromPath[0] === 'role') out.push({ policy: r, label: r.address, statements: this.statementsOf(getAttr(r.values, 'policy'), r) });
      const attaches = (r.type === 'aws_iam_role_policy_attachment' && e.fromPath[0] === 'role') || (r.type === 'aws_iam_policy_attachment' && e.fromPath[0] === 'roles');
      if (attaches) out.push(...this.attachedPolicies(r, ['policy_arn']));
    }
    out.push(...this.attachedPolicies(role, ['managed_policy_arns']));
    return out;
  }

  private attachedPolicies(holder: Resource, path: (string | number)[]): { policy: Resource | undefined; label: string; statements: Statement[] }[] {
    const out: { policy: Resource | undefined; label: string; statements: Statement[] }[] = [];
    for (const e of this.graph.referencesAt(holder, path)) {
      if (e.to.type === 'aws_iam_policy') out.push({ policy: e.to, label: e.to.address, statements: this.statementsOf(getAttr(e.to.values, 'policy'), e.to) });
    }
    for (const item of stringItems(getAttr(holder.values, path[0] as string))) {
      const arn = asString(item);
      const name = arn && /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([A-Za-z0-9+=,.@_-]+)$/.exec(arn)?.[1];
      const actions = name ? MANAGED_POLICY_ACTIONS[name] : undefined;
      if (actions) out.push({ policy: holder, label: `AWS managed policy ${name}`, statements: [{ effect: 'Allow', actions }] });
    }
    return out;
  }

  /** Statements of a policy value (held by `holder`): a JSON string, or a reference to an `aws_iam_policy_document`. */
  private statementsOf(policy: Value | undefined, holder: Resource): Statement[] {
    if (!policy) return [];
    const docs = collectRefs(policy).flatMap((ref) => this.graph.resolve(ref.address, holder)).filter((r) => r.type === 'aws_iam_policy_document');
    const out: Statement[] = [];
    for (const doc of docs) {
      for (const st of blocks(getAttr(doc.values, 'statement'))) {
        out.push({ effect: asString(getAttr(st, 'effect')) ?? 'Allow', actions: stringItems(getAttr(st, 'actions')).map(asString).filter((a): a is string => !!a) });
      }
    }
    const text = asString(policy);
    if (text) out.push(...parsePolicyJson(text));
    if (policy.kind === 'unknown' && policy.encodes) out.push(...statementsOfStructure(policy.encodes));
    return out;
  }
}

interface EnvTargets {
  readonly env: Workload['environment'][number];
  /** Resources the value refers to. */
  readonly targets: Set<Resource>;
  /** Resources a referred secret or parameter holds the details of → that secret or parameter. */
  readonly held: Map<Resource, Resource>;
}

interface Statement {
  readonly effect: string;
  readonly actions: readonly string[];
}

export function parsePolicyJson(text: string): Statement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [];
  }
  const raw = (doc as { Statement?: unknown })?.Statement;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.filter((s): s is Record<string, unknown> => !!s && typeof s === 'object').map((s) => ({
    effect: typeof s.Effect === 'string' ? s.Effect : 'Allow',
    actions: (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a): a is string => typeof a === 'string'),
  }));
}

/** Statements of a policy document still in value form (the argument of a jsonencode whose result is unknown). */
function statementsOfStructure(doc: Value): Statement[] {
  const raw = getAttr(doc, 'Statement');
  const list = raw?.kind === 'list' ? raw.items : raw ? [raw] : [];
  return list.filter((s) => s.kind === 'object').map((s) => ({
    effect: asString(getAttr(s, 'Effect')) ?? 'Allow',
    actions: stringItems(getAttr(s, 'Action')).map(asString).filter((a): a is string => !!a),
  }));
}

/** A granted action (with `*`/`?` wildcards) covers a target action; the service must be written
 *  out, so a bare `*` (administrator access) is not read as a deliberate data-store grant. */
export function actionMatches(granted: string, target: string): boolean {
  const re = actionPattern(granted);
  return !!re && re.test(target);
}

/** Policies repeat the same few actions across a repository: each pattern is compiled once. */
const ACTION_PATTERNS = new Map<string, RegExp | null>();

function actionPattern(granted: string): RegExp | null {
  let re = ACTION_PATTERNS.get(granted);
  if (re !== undefined) return re;
  const [service] = granted.split(':');
  re = !service || /[*?]/.test(service) || !granted.includes(':')
    ? null
    : new RegExp(`^${granted.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'i');
  if (ACTION_PATTERNS.size >= 10_000) ACTION_PATTERNS.clear();
  ACTION_PATTERNS.set(granted, re);
  return re;
}

/** Values at the concrete paths a pattern matches. */
function valuesAt(v: Value, pattern: PathPattern): Value[] {
  if (pattern.length === 0) return [v];
  const [step, ...rest] = pattern;
  if (step === '*') {
    if (v.kind === 'list') return v.items.flatMap((i) => valuesAt(i, rest));
    if (v.kind === 'object') return [...v.entries.values()].flatMap((i) => valuesAt(i, rest));
    return v.kind === 'unknown' ? [v] : [];
  }
  if (v.kind === 'unknown') return [v];
  const next = typeof step === 'number' ? (v.kind === 'list' ? v.items[step] : undefined) : v.kind === 'object' ? v.entries.get(step) : undefined;
  return next ? valuesAt(next, rest) : [];
}

function dedupeRules(paths: ReachPath[]): ReachPath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const k = p.kind === 'sg-rule' ? `${p.rule.address}|${p.path.join('.')}` : JSON.stringify(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Words for one reach path, for messages. */
export function describePath(p: ReachPath): string {
  switch (p.kind) {
    case 'shared-sg': return `shares security group ${p.group} with it`;
    case 'sg-rule': return p.direction === 'ingress'
      ? `its security group ${p.from} is admitted by ${p.rule.type === 'aws_security_group' ? `an ingress rule of ${p.rule.address}` : p.rule.address}`
      : `its security group ${p.from} has egress to ${p.to} (${p.rule.address})`;
    case 'env': return p.via
      ? `its environment variable ${p.variable} names ${p.via.address}, which holds its connection details`
      : `its environment variable ${p.variable} references it`;
    case 'iam': return `its role is granted ${p.action} (${p.policyLabel})`;
    case 'rotation': return `it rotates ${p.secret.address} (${p.rotation.address}), which holds its connection details`;
  }
}
