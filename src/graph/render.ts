/**
 * `lambda-adr-lint graph`: the linked graph of every Lambda function and ECS task with what
 * invokes them (HTTP front doors, event sources), what they reach (security groups on the way to
 * a data store, environment references, IAM grants), rendered as Mermaid, Graphviz DOT or JSON.
 *
 * Linking is the rules' own graph queries (FRONT_DOORS of lambda-no-http, DatastoreReach, the ECS
 * launchers), so the picture shows exactly what the rules judge. Nodes are resources; edges carry
 * how they link. Output is deterministic: nodes by root, module, kind and address; edges by node
 * order and label. `linkedGraph` is exported for the Markdown report's per-Lambda diagrams.
 */
import * as path from 'path';
import type { Model, Resource } from '../model/model';
import { DatastoreReach, DEFAULT_STORE_TYPES, type StoreType, type Workload } from './datastore-reach';
import { ecsLaunchers, taskWorkload } from './ecs-tasks';
import type { Graph } from './graph';
import { LAMBDA_FUNCTION, linksByFunction, matchesPattern, type FunctionLink, type PathPattern } from './lambda-links';
import { FRONT_DOORS } from '../../rules/lambda-no-http';
import { functionWorkload } from '../../rules/lambda-no-datastore';

export type GraphFormat = 'mermaid' | 'dot' | 'json';

export const GRAPH_FORMATS: readonly GraphFormat[] = ['mermaid', 'dot', 'json'];

export function isGraphFormat(s: string): s is GraphFormat {
  return (GRAPH_FORMATS as readonly string[]).includes(s);
}

export type NodeKind = 'lambda' | 'ecs' | 'front-door' | 'event-source' | 'security-group' | 'store' | 'policy';

/** Kinds in the order a reader follows a request: who calls, who runs, what guards, what is reached. */
export const NODE_KINDS: readonly NodeKind[] = ['front-door', 'event-source', 'lambda', 'ecs', 'policy', 'security-group', 'store'];

export interface LinkedNode {
  /** Unique in the graph: the address, prefixed with the root when two roots share an address. */
  readonly id: string;
  readonly type: string;
  readonly address: string;
  readonly kind: NodeKind;
  /** Module instance address, '' for the root module. */
  readonly module: string;
  /** The root module (directory or plan file) relative to cwd, `/`-separated; '.' for cwd itself. */
  readonly root: string;
  /** Absent for nodes a report made up from finding messages (no resource at hand). */
  readonly resource?: Resource;
}

export interface LinkedEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  /** A suggested move rather than a link in the configuration (drawn dashed). */
  readonly suggestion?: boolean;
}

export interface LinkedGraph {
  readonly nodes: readonly LinkedNode[];
  readonly edges: readonly LinkedEdge[];
  /** Node of a resource. */
  readonly nodeOf: ReadonlyMap<Resource, LinkedNode>;
  /** Edges that explain one workload (Lambda or ECS task definition): its invokers with their
   *  upstream chains, its reach to stores and the IAM grants on its role. Keyed by node id. */
  readonly evidence: ReadonlyMap<string, readonly LinkedEdge[]>;
  /** Stores each workload reaches (node ids), for "this ECS task already reaches it" suggestions. */
  readonly reaches: ReadonlyMap<string, readonly string[]>;
}

export interface RenderOptions {
  /** Root paths are shown relative to it (default: the process's working directory). */
  readonly cwd?: string;
  /** Data-store types (default: DEFAULT_STORE_TYPES; pass the lambda-no-datastore options' list to match the rule). */
  readonly storeTypes?: readonly StoreType[];
}

export function renderGraph(model: Model, graph: Graph, format: GraphFormat, opts: RenderOptions = {}): string {
  const lg = linkedGraph(model, graph, opts);
  switch (format) {
    case 'dot': return toDot(lg);
    case 'json': return JSON.stringify(toGraphJson(lg), null, 2) + '\n';
    case 'mermaid':
    default: return toMermaid(lg);
  }
}

// ---- building ----

/** What leads to a front door or event source, by its type: the attribute that names it, the edge label, and its kind. */
const UPSTREAM: Readonly<Record<string, readonly { readonly pattern: PathPattern; readonly label: string; readonly kind: NodeKind }[]>> = {
  aws_api_gateway_integration: [{ pattern: ['rest_api_id'], label: 'routes to', kind: 'front-door' }],
  aws_api_gateway_authorizer: [{ pattern: ['rest_api_id'], label: 'authorizes with', kind: 'front-door' }],
  aws_apigatewayv2_integration: [{ pattern: ['api_id'], label: 'routes to', kind: 'front-door' }],
  aws_apigatewayv2_authorizer: [{ pattern: ['api_id'], label: 'authorizes with', kind: 'front-door' }],
  aws_lb_target_group_attachment: [{ pattern: ['target_group_arn'], label: 'routes to', kind: 'front-door' }],
  aws_alb_target_group_attachment: [{ pattern: ['target_group_arn'], label: 'routes to', kind: 'front-door' }],
  aws_cloudwatch_event_target: [{ pattern: ['rule'], label: 'triggers', kind: 'event-source' }],
  aws_lambda_event_source_mapping: [{ pattern: ['event_source_arn'], label: 'triggers', kind: 'event-source' }],
  aws_sns_topic_subscription: [{ pattern: ['topic_arn'], label: 'triggers', kind: 'event-source' }],
  aws_s3_bucket_notification: [{ pattern: ['bucket'], label: 'triggers', kind: 'event-source' }],
  aws_cloudwatch_log_subscription_filter: [{ pattern: ['log_group_name'], label: 'triggers', kind: 'event-source' }],
  aws_pipes_pipe: [{ pattern: ['source'], label: 'triggers', kind: 'event-source' }],
};

/** Asynchronous invokers of a function: the resource types and the attribute naming it. */
const EVENT_SOURCES: readonly { readonly types: readonly string[]; readonly pattern: PathPattern }[] = [
  { types: ['aws_cloudwatch_event_target'], pattern: ['arn'] },
  { types: ['aws_scheduler_schedule'], pattern: ['target', '*', 'arn'] },
  { types: ['aws_lambda_event_source_mapping'], pattern: ['function_name'] },
  { types: ['aws_sns_topic_subscription'], pattern: ['endpoint'] },
  { types: ['aws_s3_bucket_notification'], pattern: ['lambda_function', '*', 'lambda_function_arn'] },
  { types: ['aws_cloudwatch_log_subscription_filter'], pattern: ['destination_arn'] },
  { types: ['aws_pipes_pipe'], pattern: ['target'] },
];

const TARGET_GROUPS = ['aws_lb_target_group', 'aws_alb_target_group'];

class Builder {
  private readonly kinds = new Map<Resource, NodeKind>();
  private readonly edges: { from: Resource; to: Resource; label: string }[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly evidence = new Map<Resource, { from: Resource; to: Resource; label: string }[]>();
  private readonly reaches = new Map<Resource, Set<Resource>>();

  constructor(private readonly graph: Graph) {}

  node(r: Resource, kind: NodeKind): void {
    // The first kind given wins: workloads are added first, so a resource is never demoted.
    if (!this.kinds.has(r)) this.kinds.set(r, kind);
  }

  /** An edge, recorded as evidence of `workload` when given. */
  edge(from: Resource, fromKind: NodeKind, to: Resource, toKind: NodeKind, label: string, workload?: Resource): void {
    if (from === to) return;
    this.node(from, fromKind);
    this.node(to, toKind);
    const e = { from, to, label };
    const key = `${from.address}\0${to.address}\0${from.root}\0${to.root}\0${label}`;
    if (!this.edgeKeys.has(key)) {
      this.edgeKeys.add(key);
      this.edges.push(e);
    }
    if (workload) {
      const list = this.evidence.get(workload) ?? [];
      if (!list.some((x) => x.from === from && x.to === to && x.label === label)) list.push(e);
      this.evidence.set(workload, list);
    }
  }

  reached(workload: Resource, store: Resource): void {
    const set = this.reaches.get(workload) ?? new Set<Resource>();
    set.add(store);
    this.reaches.set(workload, set);
  }

  /** Resources `via` refers to through `pattern` that lead to it (an API to its integration). */
  upstream(via: Resource, viaKind: NodeKind, workload: Resource, depth = 0): void {
    if (depth > 3) return;
    for (const up of UPSTREAM[via.type] ?? []) {
      for (const e of this.graph.references(via)) {
        if (!matchesPattern(e.fromPath, up.pattern) || e.to.type === LAMBDA_FUNCTION || e.to.type === 'aws_iam_role') continue;
        this.edge(e.to, up.kind, via, viaKind, up.label, workload);
        this.upstream(e.to, up.kind, workload, depth + 1);
      }
    }
  }

  finish(cwd: string): LinkedGraph {
    const entries = [...this.kinds].map(([resource, kind]) => ({ resource, kind, root: rootLabel(resource.root, cwd) }));
    const counts = new Map<string, number>();
    for (const e of entries) counts.set(e.resource.address, (counts.get(e.resource.address) ?? 0) + 1);
    entries.sort((a, b) => cmp(a.root, b.root) || cmp(a.resource.moduleAddress, b.resource.moduleAddress)
      || NODE_KINDS.indexOf(a.kind) - NODE_KINDS.indexOf(b.kind) || cmp(a.resource.address, b.resource.address));
    const nodeOf = new Map<Resource, LinkedNode>();
    const nodes: LinkedNode[] = entries.map(({ resource, kind, root }) => {
      const id = (counts.get(resource.address) ?? 0) > 1 ? `${root}:${resource.address}` : resource.address;
      const node: LinkedNode = { id, type: resource.type, address: resource.address, kind, module: resource.moduleAddress, root, resource };
      nodeOf.set(resource, node);
      return node;
    });
    const order = new Map(nodes.map((n, i) => [n.id, i]));
    const toEdge = (e: { from: Resource; to: Resource; label: string }): LinkedEdge => ({ from: nodeOf.get(e.from)!.id, to: nodeOf.get(e.to)!.id, label: e.label });
    const sortEdges = (es: LinkedEdge[]): LinkedEdge[] => es.sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)! || cmp(a.label, b.label));
    const evidence = new Map<string, LinkedEdge[]>();
    for (const [w, es] of this.evidence) evidence.set(nodeOf.get(w)!.id, sortEdges(es.map(toEdge)));
    const reaches = new Map<string, string[]>();
    for (const [w, stores] of this.reaches) reaches.set(nodeOf.get(w)!.id, [...stores].map((s) => nodeOf.get(s)!.id).sort((a, b) => order.get(a)! - order.get(b)!));
    return { nodes, edges: sortEdges(this.edges.map(toEdge)), nodeOf, evidence, reaches };
  }
}

/** Every Lambda function and ECS task with its invokers and reach. */
export function linkedGraph(model: Model, graph: Graph, opts: RenderOptions = {}): LinkedGraph {
  const b = new Builder(graph);
  const managed = (type: string): Resource[] => model.resources.filter((r) => r.mode === 'managed' && r.type === type);
  const functions = managed(LAMBDA_FUNCTION);
  const isFunction = new Set(functions);
  // Every workload is a node, linked or not: the graph answers "what runs where" too.
  for (const fn of functions) b.node(fn, 'lambda');
  for (const task of managed('aws_ecs_task_definition')) b.node(task, 'ecs');
  for (const svc of managed('aws_ecs_service')) b.node(svc, 'ecs');

  addFrontDoors(b, graph, isFunction);
  addEventSources(b, graph, isFunction);
  addEcsLaunches(b, graph);

  const storeTypes = opts.storeTypes ?? DEFAULT_STORE_TYPES;
  for (const t of storeTypes) for (const s of graph.ofType(t.type)) b.node(s, 'store');
  const reach = new DatastoreReach(graph, storeTypes);
  for (const fn of functions) addReach(b, graph, reach, fn, 'lambda', functionWorkload(graph, reach, fn));
  for (const task of managed('aws_ecs_task_definition')) addReach(b, graph, reach, task, 'ecs', taskWorkload(graph, reach, task));
  return b.finish(path.resolve(opts.cwd ?? process.cwd()));
}

function addFrontDoors(b: Builder, graph: Graph, isFunction: ReadonlySet<Resource>): void {
  for (const door of FRONT_DOORS) {
    for (const [fn, links] of linksByFunction(graph, door.types, door.pattern)) {
      if (!isFunction.has(fn)) continue;
      for (const link of links) {
        const decision = door.decide ? door.decide(link.via, graph) : { serves: true as const };
        if (decision.serves === false) continue;
        const verb = door.types.includes('aws_lambda_permission') ? 'allows invoke' : 'invokes';
        b.edge(link.via, 'front-door', fn, 'lambda', linkLabel(verb, link, decision.serves === 'unknown'), fn);
        b.upstream(link.via, 'front-door', fn);
      }
    }
  }
  // ECS services behind a load balancer: the recommended home of HTTP workloads, shown for contrast.
  for (const svc of graph.ofType('aws_ecs_service')) {
    for (const e of graph.references(svc)) {
      if (matchesPattern(e.fromPath, ['load_balancer', '*', 'target_group_arn']) && TARGET_GROUPS.includes(e.to.type)) b.edge(e.to, 'front-door', svc, 'ecs', 'routes to', svc);
    }
  }
}

function addEventSources(b: Builder, graph: Graph, isFunction: ReadonlySet<Resource>): void {
  for (const src of EVENT_SOURCES) {
    for (const [fn, links] of linksByFunction(graph, src.types, src.pattern)) {
      if (!isFunction.has(fn)) continue;
      for (const link of links) {
        b.edge(link.via, 'event-source', fn, 'lambda', linkLabel('invokes', link, false), fn);
        b.upstream(link.via, 'event-source', fn);
      }
    }
  }
}

function addEcsLaunches(b: Builder, graph: Graph): void {
  for (const l of ecsLaunchers(graph)) {
    if (!l.task) continue;
    const kind: NodeKind = l.kind === 'service' ? 'ecs' : 'event-source';
    b.edge(l.resource, kind, l.task, 'ecs', 'runs task', l.task);
    if (kind === 'event-source') b.upstream(l.resource, kind, l.task);
  }
}

function linkLabel(verb: string, link: FunctionLink, undecided: boolean): string {
  const notes = [link.alias ? `via alias ${link.alias.address}` : '', link.byName ? 'by name' : '', undecided ? 'undecided' : ''].filter(Boolean);
  return notes.length ? `${verb} (${notes.join(', ')})` : verb;
}

/** Edges for each way a workload reaches a store: security groups, admitted ranges, environment, IAM. */
function addReach(b: Builder, graph: Graph, reach: DatastoreReach, w: Resource, kind: NodeKind, workload: Workload): void {
  for (const r of reach.reach(workload)) {
    if (r.store) b.reached(w, r.store);
    for (const p of r.paths) {
      switch (p.kind) {
        case 'shared-sg':
          if (!r.store) break;
          if (p.via) {
            b.edge(w, kind, p.via, 'security-group', 'in security group', w);
            b.edge(p.via, 'security-group', r.store, 'store', 'guards', w);
          } else {
            b.edge(w, kind, r.store, 'store', `reaches via SG (shares ${p.group})`, w);
          }
          break;
        case 'sg-rule': {
          // The groups are the workload's and the store's: in the workload's root module.
          const from = graph.resolve(p.from).find((g) => g.root === w.root);
          const to = graph.resolve(p.to).find((g) => g.root === w.root);
          if (!from || !to || !r.store) break;
          const rule = p.rule === to || p.rule === from ? `inline ${p.direction} rule` : `${p.direction} rule ${p.rule.address}`;
          b.edge(w, kind, from, 'security-group', 'in security group', w);
          b.edge(from, 'security-group', to, 'security-group', `reaches via SG (${rule})`, w);
          b.edge(to, 'security-group', r.store, 'store', 'guards', w);
          break;
        }
        case 'cidr':
          // The subnet is not a node: the edge names the range the store's group admits.
          if (!r.store) break;
          b.edge(w, kind, p.group, 'security-group', `reaches via CIDR (${p.range ?? p.rangeSource ?? p.subnet.label})`, w);
          b.edge(p.group, 'security-group', r.store, 'store', 'guards', w);
          break;
        case 'env':
          if (r.store) b.edge(w, kind, r.store, 'store', `env reference (${p.variable})`, w);
          break;
        case 'iam':
          if (p.policy) b.edge(p.policy, 'policy', w, kind, `IAM grant (${p.action})`, w);
          break;
      }
    }
  }
}

function rootLabel(root: string, cwd: string): string {
  if (!root) return '.';
  const rel = path.relative(cwd, path.resolve(cwd, root)).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- JSON ----

export interface GraphJson {
  readonly nodes: readonly { readonly id: string; readonly type: string; readonly address: string; readonly kind: NodeKind; readonly module: string; readonly root: string }[];
  readonly edges: readonly { readonly from: string; readonly to: string; readonly label: string }[];
}

/** The shape of schemas/graph.schema.json; keys in a fixed order. */
export function toGraphJson(lg: Pick<LinkedGraph, 'nodes' | 'edges'>): GraphJson {
  return {
    nodes: lg.nodes.map((n) => ({ id: n.id, type: n.type, address: n.address, kind: n.kind, module: n.module, root: n.root })),
    edges: lg.edges.map((e) => ({ from: e.from, to: e.to, label: e.label })),
  };
}

// ---- Mermaid ----

export interface MermaidOptions {
  /** Subgraphs per module (and per root when there are several); default true. */
  readonly groupByModule?: boolean;
  /** Node ids to outline (the resources a finding names). */
  readonly highlight?: ReadonlySet<string>;
  /** Extra words under a node's address, by node id (e.g. the rules that flag it). */
  readonly notes?: ReadonlyMap<string, string>;
}

const MERMAID_SHAPE: Record<NodeKind, [string, string]> = {
  'lambda': ['["', '"]'],
  'ecs': ['[["', '"]]'],
  'front-door': ['[/"', '"/]'],
  'event-source': ['(["', '"])'],
  'security-group': ['{{"', '"}}'],
  'store': ['[("', '")]'],
  'policy': ['>"', '"]'],
};

const MERMAID_STYLE: Record<NodeKind, string> = {
  'lambda': 'fill:#fff3e0,stroke:#e65100',
  'ecs': 'fill:#e8f5e9,stroke:#2e7d32',
  'front-door': 'fill:#e3f2fd,stroke:#1565c0',
  'event-source': 'fill:#f3e5f5,stroke:#6a1b9a',
  'security-group': 'fill:#eceff1,stroke:#455a64',
  'store': 'fill:#fffde7,stroke:#f9a825',
  'policy': 'fill:#fce4ec,stroke:#ad1457',
};

/**
 * Text for a Mermaid quoted string (a node label, an edge label, a subgraph title). Mermaid ends
 * the string at `"` and decodes `#…;` entity codes, and GitHub renders labels as HTML, so every
 * character that could end the string, start an entity or tag, or open a Markdown string is
 * written as a numeric entity code; line breaks become spaces. `:` is encoded too: Mermaid
 * rewrites `style…:…#…;` text before parsing, which could otherwise eat an entity's `;`.
 */
export function mermaidText(s: string): string {
  return String(s ?? '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[#"&<>`|\\:]/g, (c) => `#${c.charCodeAt(0)};`);
}

export function toMermaid(lg: Pick<LinkedGraph, 'nodes' | 'edges'>, opts: MermaidOptions = {}): string {
  const ids = new Map(lg.nodes.map((n, i) => [n.id, `n${i + 1}`]));
  const out = ['flowchart LR'];
  const nodeLine = (n: LinkedNode, indent: string): string => {
    const [open, close] = MERMAID_SHAPE[n.kind] ?? MERMAID_SHAPE.lambda;
    const note = opts.notes?.get(n.id);
    const label = mermaidText(n.address) + (note ? `<br/>${mermaidText(note)}` : '');
    return `${indent}${ids.get(n.id)}${open}${label}${close}`;
  };
  let subgraphs = 0;
  for (const g of groupNodes(lg.nodes, opts.groupByModule ?? true)) {
    if (g.title === undefined) {
      for (const n of g.nodes) out.push(nodeLine(n, '  '));
      continue;
    }
    out.push(`  subgraph g${++subgraphs}["${mermaidText(g.title)}"]`);
    for (const n of g.nodes) out.push(nodeLine(n, '    '));
    out.push('  end');
  }
  for (const e of lg.edges) {
    const from = ids.get(e.from);
    const to = ids.get(e.to);
    if (!from || !to) continue;
    out.push(`  ${from} ${e.suggestion ? '-.->' : '-->'}|"${mermaidText(e.label)}"| ${to}`);
  }
  for (const kind of NODE_KINDS) {
    const members = lg.nodes.filter((n) => n.kind === kind).map((n) => ids.get(n.id)!);
    if (!members.length) continue;
    out.push(`  classDef ${classOf(kind)} ${MERMAID_STYLE[kind]}`);
    out.push(`  class ${members.join(',')} ${classOf(kind)}`);
  }
  const cited = lg.nodes.filter((n) => opts.highlight?.has(n.id)).map((n) => ids.get(n.id)!);
  if (cited.length) {
    out.push('  classDef cited stroke:#c62828,stroke-width:3px');
    out.push(`  class ${cited.join(',')} cited`);
  }
  return out.join('\n') + '\n';
}

/** Mermaid class names must be identifiers. */
function classOf(kind: NodeKind): string {
  return kind.replace(/-/g, '_');
}

interface NodeGroup {
  /** Undefined for the top level (the root module when there is one root). */
  readonly title?: string;
  readonly nodes: LinkedNode[];
}

/** Nodes grouped by root and module, in node order (nodes arrive sorted by root and module). */
function groupNodes(nodes: readonly LinkedNode[], byModule: boolean): NodeGroup[] {
  if (!byModule) return [{ nodes: [...nodes] }];
  const roots = new Set(nodes.map((n) => n.root));
  const groups = new Map<string, NodeGroup>();
  for (const n of nodes) {
    const key = `${n.root}\0${n.module}`;
    let g = groups.get(key);
    if (!g) {
      const title = roots.size > 1 ? `${n.root}${n.module ? ` ${n.module}` : ''}` : n.module || undefined;
      g = { title, nodes: [] };
      groups.set(key, g);
    }
    g.nodes.push(n);
  }
  // Top-level nodes first, so subgraphs do not swallow them in Mermaid's layout.
  return [...groups.values()].sort((a, b) => (a.title === undefined ? 0 : 1) - (b.title === undefined ? 0 : 1));
}

// ---- DOT ----

const DOT_STYLE: Record<NodeKind, string> = {
  'lambda': 'shape=box, style="filled,rounded", fillcolor="#fff3e0", color="#e65100"',
  'ecs': 'shape=box3d, style=filled, fillcolor="#e8f5e9", color="#2e7d32"',
  'front-door': 'shape=parallelogram, style=filled, fillcolor="#e3f2fd", color="#1565c0"',
  'event-source': 'shape=ellipse, style=filled, fillcolor="#f3e5f5", color="#6a1b9a"',
  'security-group': 'shape=hexagon, style=filled, fillcolor="#eceff1", color="#455a64"',
  'store': 'shape=cylinder, style=filled, fillcolor="#fffde7", color="#f9a825"',
  'policy': 'shape=note, style=filled, fillcolor="#fce4ec", color="#ad1457"',
};

/** A DOT double-quoted string: `\` and `"` escaped, line breaks as `\n`. */
export function dotString(s: string): string {
  const body = String(s ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u001f\u007f]/g, '');
  return `"${body}"`;
}

export function toDot(lg: Pick<LinkedGraph, 'nodes' | 'edges'>): string {
  const out = [
    'digraph "lambda-adr-lint" {',
    '  rankdir=LR;',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const nodeLine = (n: LinkedNode, indent: string): string =>
    `${indent}${dotString(n.id)} [label=${dotString(n.address)}, class=${dotString(n.kind)}, ${DOT_STYLE[n.kind] ?? DOT_STYLE.lambda}];`;
  let clusters = 0;
  for (const g of groupNodes(lg.nodes, true)) {
    if (g.title === undefined) {
      for (const n of g.nodes) out.push(nodeLine(n, '  '));
      continue;
    }
    // Graphviz draws a box around subgraphs whose name starts with "cluster".
    out.push(`  subgraph "cluster_${++clusters}" {`);
    out.push(`    label=${dotString(g.title)};`);
    out.push('    style=dashed;');
    for (const n of g.nodes) out.push(nodeLine(n, '    '));
    out.push('  }');
  }
  for (const e of lg.edges) {
    out.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.label)}${e.suggestion ? ', style=dashed' : ''}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
