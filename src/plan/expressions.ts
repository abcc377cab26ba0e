/**
 * The plan's `configuration` block: module-relative references (`var.x`, `module.m.out`,
 * `aws_x.y.arn`) resolved to absolute resource addresses, and put as `marks.refs` on the
 * resource values they feed, so plans link resources the way evaluated source does.
 *
 * Limits (from what the plan JSON holds): locals are not in the configuration, so a reference
 * through `local.*` cannot be followed and yields nothing; `dynamic` blocks are not represented;
 * `each.*`/`count.*` refer to no resource. Nested blocks that Terraform stores as sets may be
 * reordered in the values, so a block's references go to the value block whose constant
 * attributes agree with the configured ones (by position when they all agree).
 */
import type { PathStep } from '../model/source';
import { refKey, unknown, withMarks, type ListValue, type ObjectValue, type ResourceRef, type Value } from '../model/value';

export type InstanceKey = string | number;

/** One step of a traversal: an attribute/name, or an index key (`[0]`, `["a"]`, `[*]` as '*'). */
export type TraversalStep = { readonly name: string } | { readonly key: InstanceKey };

export interface ModuleStep {
  readonly name: string;
  readonly key?: InstanceKey;
}

export interface ParsedAddress {
  readonly modules: readonly ModuleStep[];
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly key?: InstanceKey;
}

// ---- traversal and address syntax ----

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const DIGITS = /[0-9]+/y;

/** `module.a["x"].aws_x.y[0].attr` → steps; undefined when it is not a plain traversal. */
export function parseTraversal(text: string): TraversalStep[] | undefined {
  const steps: TraversalStep[] = [];
  let i = 0;
  const ident = (): string | undefined => {
    IDENT.lastIndex = i;
    const m = IDENT.exec(text);
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  const first = ident();
  if (first === undefined) return undefined;
  steps.push({ name: first });
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      i++;
      DIGITS.lastIndex = i;
      const d = DIGITS.exec(text);
      if (d) { i += d[0].length; steps.push({ key: Number(d[0]) }); continue; } // legacy `.0` index
      const name = ident();
      if (name === undefined) return undefined;
      steps.push({ name });
    } else if (c === '[') {
      const end = readKey(text, i + 1);
      if (!end) return undefined;
      steps.push({ key: end.key });
      i = end.next;
    } else {
      return undefined;
    }
  }
  return steps;
}

function readKey(text: string, at: number): { key: InstanceKey; next: number } | undefined {
  if (text[at] === '"') {
    let j = at + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length || text[j + 1] !== ']') return undefined;
    const literal = text.slice(at, j + 1);
    let key: string;
    try { key = JSON.parse(literal) as string; } catch { key = literal.slice(1, -1); }
    return { key, next: j + 2 };
  }
  const close = text.indexOf(']', at);
  if (close < 0) return undefined;
  const inner = text.slice(at, close).trim();
  if (inner === '*') return { key: '*', next: close + 1 };
  if (!/^-?\d+$/.test(inner)) return undefined;
  return { key: Number(inner), next: close + 1 };
}

/** `[0]` or `["key"]`, as Terraform writes instance keys in addresses. */
export function formatKey(key: InstanceKey): string {
  return typeof key === 'number' ? `[${key}]` : key === '*' ? '[*]' : `[${JSON.stringify(key)}]`;
}

export function moduleAddressOf(steps: readonly ModuleStep[]): string {
  return steps.map((s) => `module.${s.name}${s.key === undefined ? '' : formatKey(s.key)}`).join('.');
}

/** Module instance steps of `module.a["x"].module.b`; undefined when it is not one. */
export function parseModuleAddress(text: string): ModuleStep[] | undefined {
  if (text === '') return [];
  const steps = parseTraversal(text);
  if (!steps) return undefined;
  const out: ModuleStep[] = [];
  let i = 0;
  while (i < steps.length) {
    const kw = steps[i];
    const name = steps[i + 1];
    if (!('name' in kw) || kw.name !== 'module' || !name || !('name' in name)) return undefined;
    const next = steps[i + 2];
    if (next && 'key' in next) { out.push({ name: name.name, key: next.key }); i += 3; }
    else { out.push({ name: name.name }); i += 2; }
  }
  return out;
}

/** `module.a["x"].data.aws_x.y[0]` → its module path, mode, type, name and key. */
export function parseResourceAddress(text: string): ParsedAddress | undefined {
  const steps = parseTraversal(text);
  if (!steps) return undefined;
  const modules: ModuleStep[] = [];
  let i = 0;
  const nameAt = (j: number): string | undefined => {
    const s = steps[j];
    return s && 'name' in s ? s.name : undefined;
  };
  const keyAt = (j: number): InstanceKey | undefined => {
    const s = steps[j];
    return s && 'key' in s ? s.key : undefined;
  };
  while (nameAt(i) === 'module' && nameAt(i + 1) !== undefined && steps.length - i > 3) {
    const key = keyAt(i + 2);
    modules.push(key === undefined ? { name: nameAt(i + 1)! } : { name: nameAt(i + 1)!, key });
    i += key === undefined ? 2 : 3;
  }
  let mode: 'managed' | 'data' = 'managed';
  if (nameAt(i) === 'data' && steps.length - i >= 3) { mode = 'data'; i++; }
  const type = nameAt(i);
  const name = nameAt(i + 1);
  if (type === undefined || name === undefined) return undefined;
  const key = keyAt(i + 2);
  const used = i + 2 + (key === undefined ? 0 : 1);
  if (used !== steps.length) return undefined;
  return key === undefined ? { modules, mode, type, name } : { modules, mode, type, name, key };
}

// ---- the configuration tree ----

export interface ConfigResource {
  readonly raw: Record<string, unknown>;
  /** JSON path of the resource entry in the plan (`configuration.root_module.resources[i]`). */
  readonly path: readonly PathStep[];
}

export interface ConfigCall {
  readonly name: string;
  readonly source?: string;
  readonly raw: Record<string, unknown>;
  readonly path: readonly PathStep[];
  readonly module?: ConfigModule;
}

export interface ConfigModule {
  readonly path: readonly PathStep[];
  readonly calls: ReadonlyMap<string, ConfigCall>;
  /** By `managed.TYPE.NAME` / `data.TYPE.NAME`. */
  readonly resources: ReadonlyMap<string, ConfigResource>;
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** Module nesting deeper than this is treated as malformed input, not recursed into. */
const MAX_MODULE_DEPTH = 64;

export function configResourceKey(mode: string, type: string, name: string): string {
  return `${mode}.${type}.${name}`;
}

/** The configuration's module tree, or undefined when the plan has none. */
export function readConfiguration(configuration: unknown): ConfigModule | undefined {
  const root = asObject(asObject(configuration)?.root_module);
  return root ? readModule(root, ['configuration', 'root_module'], 0) : undefined;
}

function readModule(raw: Record<string, unknown>, path: readonly PathStep[], depth: number): ConfigModule {
  const resources = new Map<string, ConfigResource>();
  const list = Array.isArray(raw.resources) ? raw.resources : [];
  list.forEach((r, i) => {
    const o = asObject(r);
    if (!o || typeof o.type !== 'string' || typeof o.name !== 'string') return;
    const mode = o.mode === 'data' ? 'data' : 'managed';
    resources.set(configResourceKey(mode, o.type, o.name), { raw: o, path: [...path, 'resources', i] });
  });
  const calls = new Map<string, ConfigCall>();
  for (const [name, c] of Object.entries(asObject(raw.module_calls) ?? {})) {
    const o = asObject(c);
    if (!o) continue;
    const callPath = [...path, 'module_calls', name];
    const child = asObject(o.module);
    calls.set(name, {
      name,
      ...(typeof o.source === 'string' ? { source: o.source } : {}),
      raw: o,
      path: callPath,
      ...(child && depth < MAX_MODULE_DEPTH ? { module: readModule(child, [...callPath, 'module'], depth + 1) } : {}),
    });
  }
  return { path, calls, resources, outputs: asObject(raw.outputs) ?? {} };
}

/** The module a chain of call names leads to (keys do not matter: config is per call, not per instance). */
export function configModuleAt(root: ConfigModule | undefined, modules: readonly ModuleStep[]): ConfigModule | undefined {
  let cur = root;
  for (const m of modules) cur = cur?.calls.get(m.name)?.module;
  return cur;
}

// ---- resolving references ----

interface Scope {
  readonly steps: readonly ModuleStep[];
  readonly address: string;
  readonly config: ConfigModule;
}

/** Reference roots that never name a resource. */
const NOT_RESOURCES = new Set(['local', 'each', 'count', 'path', 'terraform', 'self', 'ephemeral', 'provider']);

/**
 * Resolves module-relative references to absolute resource addresses, following module inputs
 * up (`var.x` → the parent's argument) and outputs down (`module.m.out` → the child's output),
 * across every module instance. Results are memoised per module instance and reference.
 */
export class ReferenceResolver {
  private readonly memo = new Map<string, readonly ResourceRef[]>();
  private readonly active = new Set<string>();
  private readonly scopes = new Map<string, Scope | null>();
  /** `parentAddress␀callName` → the instances of that call seen in the plan. */
  private readonly instances = new Map<string, ModuleStep[][]>();

  constructor(private readonly root: ConfigModule | undefined, moduleInstances: Iterable<readonly ModuleStep[]>) {
    const seen = new Set<string>();
    for (const steps of moduleInstances) {
      for (let n = 1; n <= steps.length; n++) {
        const prefix = steps.slice(0, n);
        const addr = moduleAddressOf(prefix);
        if (seen.has(addr)) continue;
        seen.add(addr);
        const k = `${moduleAddressOf(prefix.slice(0, -1))}\u0000${prefix[n - 1].name}`;
        const list = this.instances.get(k);
        if (list) list.push(prefix);
        else this.instances.set(k, [prefix]);
      }
    }
  }

  /** The references of an expression's `references` list, resolved in a module instance. */
  resolveList(references: unknown, modules: readonly ModuleStep[]): ResourceRef[] {
    const scope = this.scope(modules);
    return scope ? this.resolveAll(references, scope) : [];
  }

  private scope(steps: readonly ModuleStep[]): Scope | undefined {
    const address = moduleAddressOf(steps);
    let s = this.scopes.get(address);
    if (s === undefined) {
      const config = configModuleAt(this.root, steps);
      s = config ? { steps, address, config } : null;
      this.scopes.set(address, s);
    }
    return s ?? undefined;
  }

  private resolveAll(references: unknown, scope: Scope): ResourceRef[] {
    const out: ResourceRef[] = [];
    const seen = new Set<string>();
    for (const ref of mostSpecific(references)) {
      for (const r of this.resolve(ref, scope)) {
        const k = refKey(r);
        if (!seen.has(k)) { seen.add(k); out.push(r); }
      }
    }
    return out;
  }

  private resolve(ref: string, scope: Scope): readonly ResourceRef[] {
    const key = `${scope.address}\u0000${ref}`;
    const done = this.memo.get(key);
    if (done) return done;
    if (this.active.has(key)) return []; // a cycle in malformed input
    this.active.add(key);
    const result = this.compute(ref, scope);
    this.active.delete(key);
    this.memo.set(key, result);
    return result;
  }

  private compute(ref: string, scope: Scope): readonly ResourceRef[] {
    const steps = parseTraversal(ref);
    if (!steps || !('name' in steps[0])) return [];
    const head = steps[0].name;
    const second = steps[1] && 'name' in steps[1] ? steps[1].name : undefined;
    if (NOT_RESOURCES.has(head) || second === undefined) return [];
    if (head === 'var') return this.fromVariable(second, scope);
    if (head === 'module') return this.fromModule(second, steps.slice(2), scope);
    if (head === 'data') {
      const name = steps[2] && 'name' in steps[2] ? steps[2].name : undefined;
      return name === undefined ? [] : [resourceRef(scope.address, `data.${second}.${name}`, steps.slice(3))];
    }
    return [resourceRef(scope.address, `${head}.${second}`, steps.slice(2))];
  }

  /** `var.x` in a child module: what the parent's module call passes as `x`. */
  private fromVariable(name: string, scope: Scope): readonly ResourceRef[] {
    if (scope.steps.length === 0) return []; // root variables come from outside: no resource
    const parent = this.scope(scope.steps.slice(0, -1));
    const call = parent?.config.calls.get(scope.steps[scope.steps.length - 1].name);
    const expr = asObject(asObject(call?.raw.expressions)?.[name]);
    return parent && expr ? this.resolveAll(expr.references, parent) : [];
  }

  /** `module.m["k"].out`: the child's output expression, in each matching child instance. */
  private fromModule(callName: string, rest: readonly TraversalStep[], scope: Scope): readonly ResourceRef[] {
    const call = scope.config.calls.get(callName);
    if (!call?.module) return [];
    let i = 0;
    const first = rest[0];
    const key = first && 'key' in first && first.key !== '*' ? first.key : undefined;
    if (first && 'key' in first) i++;
    const outStep = rest[i];
    const output = outStep && 'name' in outStep ? outStep.name : undefined;
    const instances = key !== undefined
      ? [[...scope.steps, { name: callName, key }]]
      : this.instances.get(`${scope.address}\u0000${callName}`) ?? [[...scope.steps, { name: callName }]];
    const names = output !== undefined ? [output] : Object.keys(call.module.outputs);
    const out: ResourceRef[] = [];
    for (const inst of instances) {
      const child = this.scope(inst);
      if (!child) continue;
      for (const o of names) {
        const expr = asObject(asObject(child.config.outputs[o])?.expression);
        if (expr) out.push(...this.resolveAll(expr.references, child));
      }
    }
    return out;
  }
}

function resourceRef(moduleAddress: string, local: string, rest: readonly TraversalStep[]): ResourceRef {
  let address = moduleAddress ? `${moduleAddress}.${local}` : local;
  let i = 0;
  const first = rest[0];
  if (first && 'key' in first && first.key !== '*') { address += formatKey(first.key); i = 1; }
  else if (first && 'key' in first) i = 1;
  const attribute: string[] = [];
  for (const s of rest.slice(i)) {
    if ('name' in s) attribute.push(s.name);
    else if (s.key === '*') break; // a splat reads every element: the attribute path ends here
    else attribute.push(String(s.key));
  }
  return { address, attribute };
}

/**
 * Terraform lists every reference together with its shorter prefixes (`aws_x.y.arn`, `aws_x.y`);
 * only the longest of each family says what was read.
 */
export function mostSpecific(references: unknown): string[] {
  if (!Array.isArray(references)) return [];
  const refs = references.filter((r): r is string => typeof r === 'string');
  if (refs.length < 2) return refs;
  const covered = new Set<string>();
  for (const r of refs) {
    for (let i = 1; i < r.length; i++) if ((r[i] === '.' || r[i] === '[') && !inQuotes(r, i)) covered.add(r.slice(0, i));
  }
  return [...new Set(refs)].filter((r) => !covered.has(r));
}

function inQuotes(s: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i++) {
    if (s[i] === '\\' && inside) i++;
    else if (s[i] === '"') inside = !inside;
  }
  return inside;
}

// ---- putting the references on the values ----

export interface LinkContext {
  /** References of one expression, resolved in the resource's module instance. */
  readonly resolve: (references: unknown) => ResourceRef[];
  /** Address for the reason of an Unknown added for an attribute the values lack. */
  readonly address: string;
  /** Called with every value put in place of an attribute the plan's values did not have. */
  readonly added: (v: Value) => void;
  /** Called with the new node whenever a node is replaced by a marked copy (to carry flags over). */
  readonly replaced: (from: Value, to: Value) => void;
}

/**
 * Walk a resource's block expressions beside its values and mark each attribute value with the
 * resources its expression references. Containers of `values` are updated in place (the loader
 * built them and nothing else holds them yet).
 */
export function linkExpressions(values: ObjectValue, expressions: unknown, ctx: LinkContext): void {
  const block = asObject(expressions);
  if (block) walkBlock(block, values, [], ctx);
}

function walkBlock(block: Record<string, unknown>, target: ObjectValue, path: PathStep[], ctx: LinkContext): void {
  for (const name of Object.keys(block)) {
    const e = block[name];
    const here = [...path, name];
    const child = target.entries.get(name);
    if (isExpression(e)) {
      const refs = ctx.resolve(e.references);
      if (refs.length) setEntry(target, name, mark(child, refs, here, ctx));
    } else if (Array.isArray(e)) {
      if (child?.kind === 'list') {
        const overflow = walkBlockList(e, child, here, ctx);
        if (overflow.length) setEntry(target, name, mark(child, overflow, here, ctx));
      }
      else if (child?.kind === 'object' && e.length === 1 && asObject(e[0])) walkBlock(asObject(e[0])!, child, here, ctx);
      else {
        const refs = collectRefs(e, ctx);
        if (refs.length) setEntry(target, name, mark(child, refs, here, ctx));
      }
    } else if (asObject(e)) {
      if (child?.kind === 'object') walkBlock(asObject(e)!, child, here, ctx);
      else {
        const refs = collectRefs(e, ctx);
        if (refs.length) setEntry(target, name, mark(child, refs, here, ctx));
      }
    }
  }
}

/** Walks each configured block into its value block; returns the references of configured
 *  blocks the values have no block for (the list as a whole then carries them). */
function walkBlockList(blocks: unknown[], list: ListValue, path: PathStep[], ctx: LinkContext): ResourceRef[] {
  const items = list.items as Value[];
  const used = new Set<number>();
  const overflow: ResourceRef[] = [];
  blocks.forEach((b, i) => {
    const block = asObject(b);
    if (!block) return;
    const j = matchBlock(block, items, i, used);
    used.add(j);
    const item = items[j];
    if (item?.kind === 'object') { walkBlock(block, item, [...path, j], ctx); return; }
    const refs = collectRefs(block, ctx);
    if (!refs.length) return;
    if (item) replaceAt(items, j, mark(item, refs, [...path, j], ctx));
    else overflow.push(...refs);
  });
  return overflow;
}

/** The value block that configured block `i` became: position `i` unless its constants disagree. */
function matchBlock(block: Record<string, unknown>, items: readonly Value[], i: number, used: Set<number>): number {
  if (items.length < 2 || (i < items.length && !used.has(i) && agrees(block, items[i]))) return i;
  for (let j = 0; j < items.length; j++) if (!used.has(j) && agrees(block, items[j])) return j;
  return i;
}

function agrees(block: Record<string, unknown>, item: Value | undefined): boolean {
  if (item?.kind !== 'object') return false;
  for (const [k, e] of Object.entries(block)) {
    if (!isExpression(e) || !('constant_value' in e)) continue;
    const c = e.constant_value;
    const v = item.entries.get(k);
    if (!v || !(typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean')) continue;
    if ((v.kind === 'string' || v.kind === 'number' || v.kind === 'bool') && v.value !== c) return false;
  }
  return true;
}

function mark(existing: Value | undefined, refs: ResourceRef[], path: PathStep[], ctx: LinkContext): Value {
  if (existing) {
    const next = withMarks(existing, { refs });
    ctx.replaced(existing, next);
    return next;
  }
  // Configured but absent from the plan's values: what it will be is not known here.
  const added = unknown(`${ctx.address}.${formatAttrPath(path)} (not in the plan's values)`, { refs });
  ctx.added(added);
  return added;
}

function setEntry(target: ObjectValue, name: string, v: Value): void {
  (target.entries as Map<string, Value>).set(name, v);
}

function replaceAt(items: Value[], j: number, v: Value): void {
  items[j] = v;
}

/** Every reference inside nested block expressions, for a value that cannot be walked into. */
function collectRefs(e: unknown, ctx: LinkContext): ResourceRef[] {
  const out: ResourceRef[] = [];
  const seen = new Set<string>();
  const visit = (x: unknown, depth: number): void => {
    if (depth > 32) return;
    if (Array.isArray(x)) { for (const i of x) visit(i, depth + 1); return; }
    const o = asObject(x);
    if (!o) return;
    if (isExpression(o)) {
      for (const r of ctx.resolve(o.references)) {
        const k = refKey(r);
        if (!seen.has(k)) { seen.add(k); out.push(r); }
      }
      return;
    }
    for (const v of Object.values(o)) visit(v, depth + 1);
  };
  visit(e, 0);
  return out;
}

/** An expression object (`references` / `constant_value`, or `{}` for folded function calls). */
function isExpression(e: unknown): e is { references?: unknown; constant_value?: unknown } {
  const o = asObject(e);
  if (!o) return false;
  if (Array.isArray(o.references) || 'constant_value' in o) return true;
  return Object.keys(o).length === 0;
}

/** `vpc_config[0].security_group_ids` */
export function formatAttrPath(path: readonly PathStep[]): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
