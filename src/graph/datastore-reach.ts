/**
 * What a workload (a Lambda function, an ECS task) can reach among the persistent data stores:
 * through its security groups (shared, admitted by the store's ingress, or its own egress to the
 * store), through an address range the store's groups admit that holds its subnets, through
 * environment values that reference a store, or through IAM actions on its role that connect to
 * one. One query for every rule that asks.
 */
import type { Resource } from '../model/model';
import { asString, blocks, collectRefs, getAttr, stringItems, withMarks, type Value } from '../model/value';
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
const SUBNET_TYPES = ['aws_subnet', 'data.aws_subnet', 'data.aws_subnets'];
const VPC_TYPES = ['aws_vpc', 'data.aws_vpc'];

/** `aws_subnet`, `data.aws_vpc`: the type as the tables above write it. */
function typeName(r: Resource): string {
  return r.mode === 'data' ? `data.${r.type}` : r.type;
}

/** A set of security groups: the resources referred to, and literal IDs written in configuration. */
export interface SecurityGroups {
  readonly resources: ReadonlySet<Resource>;
  readonly ids: ReadonlySet<string>;
  /** Stores whose own security groups the list reads (`data.aws_db_instance.x.vpc_security_groups`). */
  readonly borrowed?: ReadonlySet<Resource>;
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
  | { readonly kind: 'rotation'; readonly secret: Resource; readonly rotation: Resource }
  | CidrPath;

/**
 * An ingress rule of the store's group `group` admits an address range that holds one of the
 * workload's subnets. `how`: `range` — both ranges are known and one contains the other;
 * `subnet` — the rule names the subnet's own `cidr_block`; `vpc` — it names the whole range of the
 * VPC the subnet is in; `open` — it admits 0.0.0.0/0 and the subnet's range is not known.
 */
export interface CidrPath {
  readonly kind: 'cidr';
  readonly how: 'range' | 'subnet' | 'vpc' | 'open';
  /** The rule's holder: the group itself (inline `ingress`) or an `aws_security_group_rule` /
   *  `aws_vpc_security_group_ingress_rule`; `path` is its CIDR attribute. */
  readonly rule: Resource;
  readonly path: readonly (string | number)[];
  readonly group: Resource;
  /** The admitted range, when known (`10.0.0.0/16`). */
  readonly range?: string;
  /** What the range was read from (`aws_vpc.main.cidr_block`), when it names one resource. */
  readonly rangeSource?: string;
  readonly subnet: Subnet;
  /** The VPC both are in, when that is how it was decided (`vpc`, or `open` in the same VPC). */
  readonly vpc?: string;
}

/** A subnet a workload runs in, as far as the configuration tells. */
export interface Subnet {
  /** The `aws_subnet`, `data.aws_subnet` or `data.aws_subnets` named, when the ID is a reference. */
  readonly resource?: Resource;
  /** The address, the literal ID, or what an unknown ID depends on. */
  readonly label: string;
  /** Its IPv4 range, when known. */
  readonly cidr?: string;
  /** The VPC it is in: VPC resources and literal `vpc-…` IDs (none when not known). */
  readonly vpcs: VpcKeys;
  /** `vpcs` is the VPC of the workload's security groups, the subnet naming none itself. */
  readonly vpcOfGroups?: true;
}

/** A VPC is named by its resource, or by its ID when that is written out. */
type VpcKeys = ReadonlySet<Resource | string>;

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
  /** The VPC subnets it runs in (`subnetsAt`); none or absent when it is not in a VPC, as far as known. */
  readonly subnets?: readonly Subnet[];
}

export class DatastoreReach {
  private readonly stores: { store: Resource; type: StoreType }[] = [];
  private readonly storeByResource = new Map<Resource, StoreType>();
  private readonly groupsOfStore = new Map<Resource, SecurityGroups>();
  private readonly cidrRulesOfGroup = new Map<Resource, CidrRule[]>();

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
    const borrowed = new Set<Resource>();
    for (const e of this.graph.references(r)) {
      if (!matchesPattern(e.fromPath, pattern)) continue;
      if (SG_TYPES.includes(e.to.mode === 'data' ? `data.${e.to.type}` : e.to.type)) resources.add(e.to);
      const store = this.storeByResource.get(e.to);
      if (store?.securityGroups && e.toAttribute[0] === store.securityGroups) borrowed.add(e.to);
    }
    for (const v of valuesAt(r.values, pattern)) {
      if (v.kind === 'unknown' && !collectRefs(v).length) unknown = v.reason;
      for (const item of stringItems(v)) {
        const s = asString(item);
        if (s && /^sg-[0-9a-f]+$/i.test(s)) ids.add(s);
        if (item.kind === 'unknown' && !item.marks?.refs?.length) unknown = item.reason;
      }
    }
    return {
      resources, ids,
      ...(borrowed.size ? { borrowed } : {}),
      ...(unknown && resources.size === 0 && ids.size === 0 && borrowed.size === 0 ? { unknown } : {}),
    };
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

  /**
   * The subnets named by the list at `pattern` in `r` (`['vpc_config', '*', 'subnet_ids']`): the
   * subnet resources its items refer to, and literal IDs. A list known only after apply counts by
   * the subnet resources it refers to; one that is not known at all gives none (not in a VPC, as
   * far as anyone can tell).
   */
  subnetsAt(r: Resource, pattern: PathPattern): Subnet[] {
    const out: Subnet[] = [];
    const seen = new Set<Resource | string>();
    const referred = (v: Value): boolean => {
      let any = false;
      for (const ref of v.marks?.refs ?? []) {
        for (const s of this.graph.resolve(ref.address, r)) {
          if (!SUBNET_TYPES.includes(typeName(s))) continue;
          any = true;
          if (!seen.has(s)) {
            seen.add(s);
            out.push(this.subnetOf(s));
          }
        }
      }
      return any;
    };
    for (const v of valuesAt(r.values, pattern)) {
      if (v.kind === 'unknown') referred(v);
      if (v.kind !== 'list') continue;
      for (const item of v.items.map((i) => inheritRefs(i, v))) {
        if (referred(item)) continue;
        const id = asString(item);
        if (id && !seen.has(id)) {
          seen.add(id);
          out.push({ label: id, vpcs: new Set() });
        } else if (item.kind === 'unknown') {
          out.push({ label: item.reason, vpcs: new Set() });
        }
      }
    }
    return out;
  }

  private subnetOf(s: Resource): Subnet {
    const cidr = asString(getAttr(s.values, 'cidr_block'));
    const vpcs = new Set(this.vpcsAt(s, ['vpc_id']));
    // Data sources also find their subnets by filter: `filter { name = "vpc-id", values = [...] }`.
    const filters = getAttr(s.values, 'filter');
    if (s.mode === 'data' && filters?.kind === 'list') {
      filters.items.forEach((f, i) => {
        if (asString(getAttr(f, 'name')) === 'vpc-id') this.vpcsAt(s, ['filter', i, 'values']).forEach((k) => vpcs.add(k));
      });
    }
    return { resource: s, label: s.address, ...(cidr && parseIPv4Cidr(cidr) ? { cidr } : {}), vpcs };
  }

  /** The VPCs named at `path` in `r`: referenced VPC resources and literal `vpc-…` IDs. */
  private vpcsAt(r: Resource, path: (string | number)[]): (Resource | string)[] {
    const out: (Resource | string)[] = [];
    for (const e of this.graph.referencesAt(r, path)) if (VPC_TYPES.includes(typeName(e.to))) out.push(vpcKey(e.to));
    const v = valuesAt(r.values, path);
    for (const item of v.flatMap(stringItems)) {
      const id = asString(item);
      if (id && /^vpc-[0-9a-f]+$/i.test(id)) out.push(id);
    }
    return out;
  }

  /** Every store the workload reaches, with how; IAM grants that name no store come last. */
  reach(w: Workload): StoreReach[] {
    const out: StoreReach[] = [];
    const envTargets = this.envTargets(w);
    const rotated = this.rotatedSecrets(w);
    let noIpv4Egress: boolean | undefined;
    let subnets: readonly Subnet[] | undefined;
    for (const { store, type } of this.stores) {
      const groups = this.storeGroups(store);
      let network = this.networkPaths(w.securityGroups, groups);
      // The workload wears the store's own groups (read from the store, often a data source).
      if (w.securityGroups.borrowed?.has(store)) network = [{ kind: 'shared-sg', group: `${store.address}.${type.securityGroups}`, via: store }, ...network];
      // An address range is the looser link: named only when no security group names the workload.
      if (!network.length && w.subnets?.length && groups.resources.size) {
        noIpv4Egress ??= this.noIpv4Egress(w.securityGroups);
        subnets ??= this.placeSubnets(w.subnets, w.securityGroups);
        if (!noIpv4Egress) network = this.cidrPaths(w, subnets, groups, store);
      }
      const paths = [...network, ...this.envPaths(envTargets, store), ...this.rotationPaths(rotated, store)];
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

  /** A function's subnets are in the VPC of its security groups (AWS requires both in one VPC):
   *  that VPC stands for a subnet whose own VPC is not known (a literal ID). */
  private placeSubnets(subnets: readonly Subnet[], mine: SecurityGroups): Subnet[] {
    const vpcs = new Set<Resource | string>();
    for (const g of mine.resources) this.vpcsAt(g, ['vpc_id']).forEach((k) => vpcs.add(k));
    return subnets.map((s) => (s.vpcs.size || !vpcs.size ? s : { ...s, vpcs, vpcOfGroups: true }));
  }

  /** Ingress rules of the store's groups that admit a range holding one of the subnets: one path per rule. */
  private cidrPaths(w: Workload, subnets: readonly Subnet[], theirs: SecurityGroups, store: Resource): ReachPath[] {
    const out: ReachPath[] = [];
    for (const group of theirs.resources) {
      const groupVpcs = new Set(this.vpcsAt(group, ['vpc_id']));
      for (const rule of this.cidrRules(group)) {
        let found: CidrPath | undefined;
        for (const subnet of subnets) {
          // A store in another root module is another state, often another account with the same
          // addresses: only a VPC ID both name links them.
          const vpc = compareVpcs(subnet.vpcs, groupVpcs);
          const root = subnet.resource?.root ?? w.resource?.root;
          if (vpc === 'different' || (vpc !== 'same' && root !== store.root)) continue;
          for (const item of rule.items) {
            found = this.admits(rule, item, subnet, group, vpc === 'same');
            if (found) break;
          }
          if (found) break;
        }
        if (found) out.push(found);
      }
    }
    return out;
  }

  /** Whether one range of a rule admits the subnet; never decided from what is not known. */
  private admits(rule: CidrRule, item: Value, subnet: Subnet, group: Resource, sameVpc: boolean): CidrPath | undefined {
    const text = asString(item);
    const range = text !== undefined ? parseIPv4Cidr(text) : undefined;
    // Where the range was read from is worded only for a path found (most pairs are not).
    const path = (how: CidrPath['how'], extra: { range?: string; vpc?: string }): CidrPath => {
      const source = this.rangeSource(item, rule.rule);
      return { kind: 'cidr', how, rule: rule.rule, path: rule.path, group, subnet, ...extra, ...(source ? { rangeSource: source } : {}) };
    };
    if (text !== undefined && range) {
      const sub = subnet.cidr !== undefined ? parseIPv4Cidr(subnet.cidr) : undefined;
      if (sub) return contains(range, sub) ? path('range', { range: text }) : undefined;
      // The subnet's range is not known: 0.0.0.0/0 holds it anyway …
      if (range.prefix === 0) return path('open', { range: text, ...(sameVpc ? { vpc: vpcName(subnet.vpcs) } : {}) });
      // … and so does the whole (primary) range of the VPC it is in.
      const vpc = this.vpcRangeOf(item, subnet, rule.rule);
      return vpc && asString(getAttr(vpc.values, 'cidr_block')) === text ? path('vpc', { range: text, vpc: vpc.address }) : undefined;
    }
    // Known only after apply (or IPv6, or not a range): decided by what the value is read from.
    if (item.kind !== 'unknown') return undefined;
    if (subnet.resource && this.rangesRead(item, rule.rule).subnets.includes(subnet.resource)) return path('subnet', {});
    const vpc = this.vpcRangeOf(item, subnet, rule.rule);
    return vpc ? path('vpc', { vpc: vpc.address }) : undefined;
  }

  /** `aws_vpc.main.cidr_block`: the one subnet (else the one VPC) whose range a value reads, for
   *  messages; a known value must be that range (a list's refs may belong to another item). */
  private rangeSource(item: Value, holder: Resource): string | undefined {
    const read = this.rangesRead(item, holder);
    const text = asString(item);
    const fits = (r: Resource): boolean => text === undefined || asString(getAttr(r.values, 'cidr_block')) === text;
    const candidates = [...new Set(read.subnets.length ? read.subnets : read.vpcs)].filter(fits);
    return candidates.length === 1 ? `${candidates[0].address}.cidr_block` : undefined;
  }

  /** The subnets and VPCs whose `cidr_block` a value reads (a subnet's range computed from its
   *  VPC's reads both). */
  private rangesRead(item: Value, holder: Resource): { subnets: Resource[]; vpcs: Resource[] } {
    const subnets: Resource[] = [];
    const vpcs: Resource[] = [];
    for (const ref of item.marks?.refs ?? []) {
      if (ref.attribute.length !== 1 || ref.attribute[0] !== 'cidr_block') continue;
      for (const t of this.graph.resolve(ref.address, holder)) {
        if (SUBNET_TYPES.includes(typeName(t))) subnets.push(t);
        else if (VPC_TYPES.includes(typeName(t))) vpcs.push(t);
      }
    }
    return { subnets, vpcs };
  }

  /** The VPC whose whole `cidr_block` the value is, when the subnet is in it and the VPC has no
   *  secondary ranges (a subnet may be in one of those instead). A value that also reads a
   *  subnet's range is that subnet's, not the VPC's. */
  private vpcRangeOf(item: Value, subnet: Subnet, holder: Resource): Resource | undefined {
    const read = this.rangesRead(item, holder);
    if (read.subnets.length) return undefined;
    for (const t of read.vpcs) {
      if (!subnet.vpcs.has(vpcKey(t))) continue;
      const secondary = this.graph.referrers(t).some((e) => e.from.type === 'aws_vpc_ipv4_cidr_block_association' && e.fromPath[0] === 'vpc_id');
      if (!secondary) return t;
    }
    return undefined;
  }

  /** The group's IPv4 ingress ranges: inline `ingress` blocks, `aws_security_group_rule` of type
   *  ingress (`cidr_blocks`) and `aws_vpc_security_group_ingress_rule` (`cidr_ipv4`). */
  private cidrRules(group: Resource): CidrRule[] {
    let rules = this.cidrRulesOfGroup.get(group);
    if (rules) return rules;
    rules = [];
    const inline = group.mode === 'managed' ? getAttr(group.values, 'ingress') : undefined;
    if (inline?.kind === 'list') {
      inline.items.forEach((b, i) => {
        const cidrs = getAttr(b, 'cidr_blocks');
        if (cidrs) rules!.push({ rule: group, path: ['ingress', i, 'cidr_blocks'], items: rangeItems(cidrs) });
      });
    }
    const seen = new Set<Resource>();
    for (const e of this.graph.referrers(group)) {
      const rule = e.from;
      if (e.fromPath[0] !== 'security_group_id' || seen.has(rule)) continue;
      seen.add(rule);
      const cidrs = rule.type === 'aws_security_group_rule' && asString(getAttr(rule.values, 'type')) === 'ingress' ? 'cidr_blocks'
        : rule.type === 'aws_vpc_security_group_ingress_rule' ? 'cidr_ipv4'
        : undefined;
      const v = cidrs ? getAttr(rule.values, cidrs) : undefined;
      if (cidrs && v) rules.push({ rule, path: [cidrs], items: rangeItems(v) });
    }
    this.cidrRulesOfGroup.set(group, rules);
    return rules;
  }

  /**
   * Egress is assumed open (the AWS default) unless the configuration shows every group of the
   * workload limited to other security groups and prefix lists (no IPv4 range): then no address
   * range gets it to a store (one of the store's groups would have given a security-group path).
   */
  private noIpv4Egress(mine: SecurityGroups): boolean {
    if (mine.unknown || mine.ids.size || !mine.resources.size) return false;
    for (const g of mine.resources) {
      const ranges: (Value | undefined)[] = [];
      const inline = g.mode === 'managed' ? getAttr(g.values, 'egress') : undefined;
      if (inline?.kind === 'unknown') return false;
      if (inline?.kind === 'list') for (const b of inline.items) ranges.push(b.kind === 'object' ? getAttr(b, 'cidr_blocks') : b);
      for (const e of this.graph.referrers(g)) {
        const rule = e.from;
        if (e.fromPath[0] !== 'security_group_id') continue;
        if (rule.type === 'aws_security_group_rule') {
          const type = getAttr(rule.values, 'type');
          if (type?.kind === 'unknown') return false;
          if (asString(type) === 'egress') ranges.push(getAttr(rule.values, 'cidr_blocks'));
        }
        if (rule.type === 'aws_vpc_security_group_egress_rule') ranges.push(getAttr(rule.values, 'cidr_ipv4'));
      }
      if (!ranges.length) return false;
      const noRange = (v: Value | undefined): boolean => !v || v.kind === 'null' || (v.kind === 'list' && v.items.length === 0);
      if (!ranges.every(noRange)) return false;
    }
    return true;
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
    for (const { holder: r, field } of this.roleHolders(role)) {
      if (r.type === 'aws_iam_role_policy' && field === 'role') out.push({ policy: r, label: r.address, statements: this.statementsOf(getAttr(r.values, 'policy'), r) });
      const attaches = (r.type === 'aws_iam_role_policy_attachment' && field === 'role') || (r.type === 'aws_iam_policy_attachment' && field === 'roles');
      if (attaches) out.push(...this.attachedPolicies(r, ['policy_arn']));
    }
    out.push(...this.attachedPolicies(role, ['managed_policy_arns']));
    return out;
  }

  /** Policies and attachments naming the role: by reference, or by its name written out (same root). */
  private roleHolders(role: Resource): { holder: Resource; field: string }[] {
    const out = this.graph.referrers(role).map((e) => ({ holder: e.from, field: String(e.fromPath[0]) }));
    const name = asString(getAttr(role.values, 'name'));
    if (!name) return out;
    for (const holder of this.graph.ofType('aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_policy_attachment')) {
      if (holder.root !== role.root || out.some((o) => o.holder === holder)) continue;
      const field = holder.type === 'aws_iam_policy_attachment' ? 'roles' : 'role';
      const value = getAttr(holder.values, field);
      const named = stringItems(value).some((v) => asString(v) === name && !v.marks?.refs?.length);
      if (named) out.push({ holder, field });
    }
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

/** One IPv4 ingress range attribute of a store's group, with its values (items of `cidr_blocks`). */
interface CidrRule {
  readonly rule: Resource;
  readonly path: readonly (string | number)[];
  readonly items: readonly Value[];
}

/** The ranges of a CIDR attribute: a list's items, or the one value (`cidr_ipv4`, or a list known only after apply). */
function rangeItems(v: Value): Value[] {
  return v.kind === 'list' ? v.items.map((i) => inheritRefs(i, v)) : v.kind === 'null' ? [] : [v];
}

/**
 * An item with no refs of its own keeps its list's, as the evaluator does for items taken out of
 * a collection: a plan marks the attribute (`subnet_ids = aws_subnet.private[*].id`), not each ID.
 * An item's own refs win: a `for` that filtered a resource's instances has the whole resource on
 * the list.
 */
function inheritRefs(item: Value, list: Value): Value {
  return !item.marks?.refs?.length && list.marks?.refs?.length ? withMarks(item, { refs: list.marks.refs }) : item;
}

function vpcName(vpcs: VpcKeys): string | undefined {
  const [first] = vpcs;
  return typeof first === 'string' ? first : first?.address;
}

/** A VPC data source that names its ID is that ID; otherwise the resource stands for the VPC. */
function vpcKey(vpc: Resource): Resource | string {
  const id = vpc.mode === 'data' ? asString(getAttr(vpc.values, 'id')) : undefined;
  return id && /^vpc-[0-9a-f]+$/i.test(id) ? id : vpc;
}

/**
 * Whether two sets of VPC names name the same VPC: `same` when they share one; `different` when
 * both name only written-out IDs, or only managed `aws_vpc` resources (each creates its own VPC);
 * otherwise (a data source, an ID against a resource, nothing known) it cannot be told.
 */
export function compareVpcs(a: VpcKeys, b: VpcKeys): 'same' | 'different' | 'unknown' {
  for (const k of a) if (b.has(k)) return 'same';
  if (!a.size || !b.size) return 'unknown';
  const all = [...a, ...b];
  if (all.every((k) => typeof k === 'string')) return 'different';
  if (all.every((k) => typeof k !== 'string' && k.mode === 'managed')) return 'different';
  return 'unknown';
}

/** An IPv4 network: its address with the host bits cleared, and the prefix length. */
export interface Ipv4Cidr {
  readonly addr: number;
  readonly prefix: number;
}

/** `10.0.1.0/24` → its network; undefined for anything else (IPv6, a bare address, junk). */
export function parseIPv4Cidr(s: string): Ipv4Cidr | undefined {
  const m = /^\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})\s*$/.exec(s);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const addr = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { addr: maskTo(addr, prefix), prefix };
}

/** Whether network `outer` holds all of `inner`. */
export function contains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return outer.prefix <= inner.prefix && maskTo(inner.addr, outer.prefix) === outer.addr;
}

function maskTo(addr: number, prefix: number): number {
  // 32-bit arithmetic is signed in JavaScript: divide instead of shifting.
  const size = 2 ** (32 - prefix);
  return Math.floor(addr / size) * size;
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
    case 'cidr': return describeCidr(p);
  }
}

/** "its subnet aws_subnet.private_a (10.0.1.0/24) is inside 10.0.0.0/16 that the security group aws_security_group.db admits" */
function describeCidr(p: CidrPath): string {
  const group = `the security group ${p.group.address}`;
  const by = p.rule === p.group ? '' : ` (${p.rule.address})`;
  const range = p.range && p.rangeSource ? `${p.range} (${p.rangeSource})` : p.range ?? p.rangeSource ?? 'a range';
  const subnet = `its subnet ${p.subnet.label}`;
  const groupsVpc = p.subnet.vpcOfGroups ? ', the VPC of its security groups' : '';
  switch (p.how) {
    case 'range': return p.range === p.subnet.cidr
      ? `${subnet} is ${range}, which ${group} admits${by}`
      : `${subnet} (${p.subnet.cidr}) is inside ${range} that ${group} admits${by}`;
    case 'subnet': return `${group} admits the range of ${subnet} (${p.rangeSource ?? `${p.subnet.label}.cidr_block`})${by}`;
    case 'vpc': return `${subnet} is in ${p.vpc}${groupsVpc}, whose whole range ${range} ${group} admits${by}`;
    case 'open': return `${group} admits ${p.range} (any address)${by} and ${subnet} is ${p.vpc ? `in the same VPC (${p.vpc}${groupsVpc})` : 'in a VPC'}`;
  }
}
