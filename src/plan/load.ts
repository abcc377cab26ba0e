/**
 * `terraform show -json PLANFILE` output → the same Model as Terraform source, so every rule runs
 * on plans unchanged. Values come from `resource_changes[].change.after` (the planned values
 * when there is no change entry), `after_unknown` leaves become Unknown, and the configuration's
 * references become `marks.refs` (see expressions.ts). Resources the plan deletes, deposed
 * objects and `resource_drift` are not in the model.
 *
 * Sensitive values stay in the model (rules decide on them) but must never be printed: formatters
 * and rule messages check `isSensitive(resource, path)` before showing a value.
 */
import type { Diagnostic, Model, ModuleCall, Resource, ResourceMode } from '../model/model';
import { jsonPointer, type PathStep, type SourcePointer } from '../model/source';
import { bool, list, NULL, num, obj, str, unknown, type ObjectValue, type Value } from '../model/value';
import { detectPlan, isPlainObject } from './detect';
import {
  configModuleAt,
  configResourceKey,
  formatAttrPath,
  linkExpressions,
  moduleAddressOf,
  parseResourceAddress,
  readConfiguration,
  ReferenceResolver,
  type ConfigModule,
  type InstanceKey,
  type ModuleStep,
  type ParsedAddress,
} from './expressions';
import { formatJsonPath, validatePlanShape } from './schema';
import { lineCol } from '../load/parse';

export { isPlanJson, classifyJson } from './detect';

/** One module call on the way from the root to a resource, for mapping plan resources to `.tf`. */
export interface PlanModuleCall {
  /** Call name (`module "worker" {}` → `worker`). */
  readonly name: string;
  /** Instance key of this call for the resource (count index / for_each key). */
  readonly key?: InstanceKey;
  /** Absolute module instance address (`module.a["x"].module.b`). */
  readonly address: string;
  /** The call's `source` as written (`./modules/worker`); absent when the plan lacks it. */
  readonly source?: string;
  /** The call in the plan's `configuration`. */
  readonly pointer: SourcePointer;
}

export interface PlanConfigEntry {
  /** Absolute resource instance address, as in the model. */
  readonly address: string;
  /** Module calls from the root down to the resource's module (empty in the root module). */
  readonly moduleCalls: readonly PlanModuleCall[];
  /** Address inside its module without instance key: `aws_lambda_function.this`, `data.aws_x.y`. */
  readonly relativeAddress: string;
  /** The resource in the plan's `configuration`, when the plan has it. */
  readonly configPointer?: SourcePointer;
}

/** Lets the integrator find each plan resource's `.tf` block: follow `moduleCalls[].source`
 *  from the plan's root directory, then look up `relativeAddress` there. */
export interface PlanConfigIndex {
  readonly planFile: string;
  /** By absolute resource instance address. */
  readonly resources: ReadonlyMap<string, PlanConfigEntry>;
  /** Root module variable values the plan was made with (`variables.<name>.value`). */
  readonly variables: ReadonlyMap<string, unknown>;
}

export interface PlanLoad {
  readonly model: Model;
  readonly diagnostics: Diagnostic[];
  readonly configuration: PlanConfigIndex;
}

// ---- sensitive paths ----

/** Sensitive markers of one resource: `true` = everything below is sensitive. */
type SensitiveTrie = true | Map<string | number, SensitiveTrie>;

/** Keyed by the resource's `values` object, so copies of a Resource (`{...r, pointer}`) still find it. */
const sensitiveByValues = new WeakMap<ObjectValue, SensitiveTrie>();

/**
 * True when the value at `path` in the resource is sensitive or holds sensitive parts, i.e.
 * printing it would reveal a secret. Messages and formatters must not print such values.
 */
export function isSensitive(resource: Pick<Resource, 'values'>, path: readonly (string | number)[]): boolean {
  let node: SensitiveTrie | undefined = sensitiveByValues.get(resource.values);
  if (!node) return false;
  for (const step of path) {
    if (node === true) return true;
    node = node.get(step) ?? node.get(typeof step === 'number' ? String(step) : /^\d+$/.test(step) ? Number(step) : step);
    if (!node) return false;
  }
  return true;
}

/** Gives a rebuilt values object the sensitive markers of the one it was built from. */
export function carrySensitivity(from: ObjectValue, to: ObjectValue): void {
  const trie = sensitiveByValues.get(from);
  if (trie) sensitiveByValues.set(to, trie);
}

/** Every attribute path the plan marks sensitive in this resource. */
export function sensitivePaths(resource: Pick<Resource, 'values'>): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (node: SensitiveTrie, path: (string | number)[]): void => {
    if (node === true) { out.push(path); return; }
    for (const [k, v] of node) walk(v, [...path, k]);
  };
  const root = sensitiveByValues.get(resource.values);
  if (root) walk(root, []);
  return out;
}

function sensitiveTrie(j: unknown, depth = 0): SensitiveTrie | undefined {
  if (j === true) return true;
  if (typeof j !== 'object' || j === null) return undefined;
  if (depth > 64) return true; // implausibly deep markers: treat the rest as sensitive rather than risk printing it
  const m = new Map<string | number, SensitiveTrie>();
  if (Array.isArray(j)) j.forEach((x, i) => { const t = sensitiveTrie(x, depth + 1); if (t) m.set(i, t); });
  else for (const [k, x] of Object.entries(j)) { const t = sensitiveTrie(x, depth + 1); if (t) m.set(k, t); }
  return m.size ? m : undefined;
}

function mergeTries(a: SensitiveTrie | undefined, b: SensitiveTrie | undefined): SensitiveTrie | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a === true || b === true) return true;
  const m = new Map(a);
  for (const [k, v] of b) m.set(k, mergeTries(m.get(k), v)!);
  return m;
}

// ---- loading ----

const SHOW_HINT = 'run `terraform show -json PLANFILE > plan.json` and lint that';

/** Read a plan; never throws: a plan that cannot be read gives an empty model and one error. */
export function loadPlan(file: string, text: string): PlanLoad {
  try {
    return load(file, text);
  } catch (e) {
    return failed(file, `could not read the plan: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function failed(file: string, message: string, at?: { line: number; column: number }): PlanLoad {
  return {
    model: { resources: [], files: [file] },
    diagnostics: [{ level: 'error', file, ...(at ?? {}), message, code: 'plan-error' }],
    configuration: { planFile: file, resources: new Map(), variables: new Map() },
  };
}

function load(file: string, rawText: string): PlanLoad {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const head = text.slice(0, 8);
  if (head.startsWith('PK\u0003\u0004')) return failed(file, `this is a binary plan file (from \`terraform plan -out\`), not JSON; ${SHOW_HINT}`);
  if (head.includes('\u0000')) {
    return failed(file, 'the file is UTF-16 encoded (PowerShell `>` writes UTF-16); write the plan JSON as UTF-8, e.g. `terraform show -json PLANFILE | Out-File -Encoding utf8 plan.json`');
  }
  if (text.trim() === '') return failed(file, `the file is empty; ${SHOW_HINT}`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const offset = syntaxErrorOffset(message, text.length);
    // An error at the very end (unexpected end, unterminated string) means the text stops early.
    const truncated = offset >= text.trimEnd().length || /end of (JSON )?input/i.test(message) ? ' (the file looks truncated)' : '';
    return failed(file, `invalid JSON: ${message}${truncated}`, lineCol(rawText, offset + (rawText.length - text.length)));
  }

  const detection = detectPlan(parsed);
  if (!detection.ok) return failed(file, detection.message);
  const shape = validatePlanShape(parsed);
  if (shape) {
    const offset = locateJsonPath(rawText, shape.path);
    return failed(file, `malformed plan: ${shape.message}`, offset === undefined ? undefined : lineCol(rawText, offset));
  }
  return new PlanReader(file, parsed as Record<string, unknown>).read();
}

/** Where V8's JSON.parse message says the error is (`at position N`), else the end of the text. */
function syntaxErrorOffset(message: string, length: number): number {
  const m = /at position (\d+)/.exec(message);
  return m ? Math.min(Number(m[1]), length) : length;
}


// ---- reading a valid plan ----

/** A resource instance found in one of the plan's sections, before it becomes a Resource. */
interface Candidate {
  readonly address: string;
  readonly parsed: ParsedAddress;
  readonly index?: InstanceKey;
  /** JSON path of the entry (`resource_changes[i]`, a planned_values resource, …). */
  readonly path: readonly PathStep[];
  /** JSON path of the object the values come from (`…change.after` or `…values`). */
  valuesPath: readonly PathStep[];
  values: unknown;
  afterUnknown?: unknown;
  sensitive?: SensitiveTrie;
  readonly existence: 'exists' | 'maybe';
}

class PlanReader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly candidates = new Map<string, Candidate>();
  /** Addresses the plan deletes (or forgets): never added from another section. */
  private readonly gone = new Set<string>();
  private readonly config: ConfigModule | undefined;

  constructor(private readonly file: string, private readonly plan: Record<string, unknown>) {
    this.config = readConfiguration(plan.configuration);
  }

  read(): PlanLoad {
    this.fromChanges(this.plan.resource_changes, ['resource_changes'], 'exists');
    this.fromValues(asObject(this.plan.planned_values)?.root_module, ['planned_values', 'root_module'], false);
    const prior = asObject(asObject(this.plan.prior_state)?.values)?.root_module;
    this.fromValues(prior, ['prior_state', 'values', 'root_module'], true);
    this.fromDeferred();

    const all = [...this.candidates.values()];
    const resolver = new ReferenceResolver(this.config, all.map((c) => c.parsed.modules));
    const resources: Resource[] = [];
    const index = new Map<string, PlanConfigEntry>();
    for (const c of all) {
      const { resource, entry } = this.build(c, resolver);
      resources.push(resource);
      index.set(resource.address, entry);
    }
    return {
      model: { resources, files: [this.file] },
      diagnostics: this.diagnostics,
      configuration: { planFile: this.file, resources: index, variables: this.variables() },
    };
  }

  private variables(): Map<string, unknown> {
    const out = new Map<string, unknown>();
    for (const [name, v] of Object.entries(asObject(this.plan.variables) ?? {})) {
      const value = asObject(v);
      if (value && 'value' in value) out.set(name, value.value);
    }
    return out;
  }

  private fromChanges(changes: unknown, at: PathStep[], existence: 'exists' | 'maybe', inner?: string): void {
    if (!Array.isArray(changes)) return;
    changes.forEach((entry, i) => {
      const rc = asObject(inner ? asObject(entry)?.[inner] : entry);
      if (!rc) return;
      const path = inner ? [...at, i, inner] : [...at, i];
      if (typeof rc.deposed === 'string') return; // an old object being destroyed: not in the configuration
      const address = rc.address as string;
      const change = asObject(rc.change)!;
      const actions = (change.actions as unknown[]).filter((a): a is string => typeof a === 'string');
      if (!actions.includes('create') && (actions.includes('delete') || actions.includes('forget'))) {
        this.gone.add(address);
        return;
      }
      const parsed = this.parse(address, path);
      if (!parsed || this.candidates.has(address)) return;
      const after = asObject(change.after);
      this.candidates.set(address, {
        address,
        parsed,
        ...(rc.index !== undefined ? { index: rc.index as InstanceKey } : {}),
        path,
        valuesPath: [...path, 'change', 'after'],
        values: after,
        afterUnknown: change.after_unknown,
        sensitive: sensitiveTrie(change.after_sensitive),
        existence: rc.index_unknown === true ? 'maybe' : existence,
      });
    });
  }

  private fromDeferred(): void {
    // Deferred changes (Terraform 1.9+): planned later, so whether they will exist is open.
    this.fromChanges(this.plan.deferred_changes, ['deferred_changes'], 'maybe', 'resource_change');
  }

  /** planned_values / prior_state modules; from prior state only data sources are taken. */
  private fromValues(module: unknown, at: PathStep[], dataOnly: boolean, depth = 0): void {
    const m = asObject(module);
    if (!m || depth > 64) return;
    (Array.isArray(m.resources) ? m.resources : []).forEach((r, i) => {
      const o = asObject(r);
      if (!o || typeof o.deposed_key === 'string') return;
      if (dataOnly && o.mode !== 'data') return;
      const address = o.address as string;
      const path = [...at, 'resources', i];
      const existing = this.candidates.get(address);
      const sensitive = sensitiveTrie(o.sensitive_values);
      if (existing) {
        existing.sensitive = mergeTries(existing.sensitive, sensitive);
        if (!existing.values && asObject(o.values)) {
          // A change without `after` (older plans): the planned values hold the attributes.
          existing.values = o.values;
          existing.valuesPath = [...path, 'values'];
        }
        return;
      }
      if (this.gone.has(address)) return;
      const parsed = this.parse(address, path);
      if (!parsed) return;
      this.candidates.set(address, {
        address,
        parsed,
        ...(o.index !== undefined ? { index: o.index as InstanceKey } : {}),
        path,
        valuesPath: [...path, 'values'],
        values: asObject(o.values),
        sensitive,
        existence: 'exists',
      });
    });
    (Array.isArray(m.child_modules) ? m.child_modules : []).forEach((c, i) =>
      this.fromValues(c, [...at, 'child_modules', i], dataOnly, depth + 1));
  }

  private parse(address: string, path: readonly PathStep[]): ParsedAddress | undefined {
    const parsed = parseResourceAddress(address);
    if (!parsed) {
      this.diagnostics.push({
        level: 'warning',
        file: this.file,
        message: `${formatJsonPath(path)}.address: cannot read resource address ${JSON.stringify(address)}; the resource is skipped`,
        code: 'plan-error',
      });
    }
    return parsed;
  }

  private build(c: Candidate, resolver: ReferenceResolver): { resource: Resource; entry: PlanConfigEntry } {
    const { parsed } = c;
    const mode: ResourceMode = parsed.mode;
    const moduleAddress = moduleAddressOf(parsed.modules);
    const local = `${mode === 'data' ? 'data.' : ''}${parsed.type}.${parsed.name}`;
    const resourceAddress = moduleAddress ? `${moduleAddress}.${local}` : local;
    const unknownKey = parsed.key === '*';
    const key = unknownKey ? undefined : c.index ?? parsed.key;

    const notInAfter = new WeakSet<Value>();
    const values = new ValueBuilder(c.address, notInAfter).root(c.values, c.afterUnknown);
    const config = configModuleAt(this.config, parsed.modules)?.resources.get(configResourceKey(mode, parsed.type, parsed.name));
    if (config) {
      linkExpressions(values, config.raw.expressions, {
        resolve: (refs) => resolver.resolveList(refs, parsed.modules),
        address: c.address,
        added: (v) => notInAfter.add(v),
        replaced: (from, to) => { if (notInAfter.has(from)) notInAfter.add(to); },
      });
    }
    if (c.sensitive) sensitiveByValues.set(values, c.sensitive);

    const file = this.file;
    const pointer = jsonPointer(file, c.path);
    const valuesPath = c.valuesPath;
    const calls = this.moduleCalls(parsed.modules);
    const resource: Resource = {
      address: c.address,
      resourceAddress,
      moduleAddress,
      mode,
      type: parsed.type,
      name: parsed.name,
      ...(key !== undefined ? { key } : {}),
      existence: unknownKey ? 'maybe' : c.existence,
      values,
      pointer,
      attributePointer: (path) => (inPlanValues(values, path, notInAfter) ? jsonPointer(file, [...valuesPath, ...path]) : pointer),
      moduleChain: calls.map((m): ModuleCall => ({ address: m.address, pointer: m.pointer })),
      root: file,
    };
    const entry: PlanConfigEntry = {
      address: c.address,
      moduleCalls: calls,
      relativeAddress: local,
      ...(config ? { configPointer: jsonPointer(file, config.path) } : {}),
    };
    return { resource, entry };
  }

  private moduleCalls(modules: readonly ModuleStep[]): PlanModuleCall[] {
    const out: PlanModuleCall[] = [];
    let path: PathStep[] = ['configuration', 'root_module'];
    let config: ConfigModule | undefined = this.config;
    modules.forEach((m, i) => {
      path = [...path, ...(i > 0 ? ['module'] : []), 'module_calls', m.name];
      const call = config?.calls.get(m.name);
      config = call?.module;
      out.push({
        name: m.name,
        ...(m.key !== undefined ? { key: m.key } : {}),
        address: moduleAddressOf(modules.slice(0, i + 1)),
        ...(call?.source !== undefined ? { source: call.source } : {}),
        pointer: jsonPointer(this.file, call ? call.path : path),
      });
    });
    return out;
  }
}

/** Whether the plan's values hold this attribute (an Unknown the plan only lists in after_unknown does not count). */
function inPlanValues(values: ObjectValue, path: readonly (string | number)[], notInAfter: WeakSet<Value>): boolean {
  let cur: Value | undefined = values;
  for (const step of path) {
    if (!cur || notInAfter.has(cur)) return false;
    if (typeof step === 'number') cur = cur.kind === 'list' ? cur.items[step] : undefined;
    else cur = cur.kind === 'object' ? cur.entries.get(step) : undefined;
  }
  return cur !== undefined && !notInAfter.has(cur);
}

/**
 * `after` + `after_unknown` → Value. Unknown leaves name the address and attribute path; nodes
 * that exist only in after_unknown are recorded in `notInAfter` (they have no JSON to point at).
 */
class ValueBuilder {
  private readonly path: PathStep[] = [];

  constructor(private readonly address: string, private readonly notInAfter: WeakSet<Value>) {}

  root(after: unknown, afterUnknown: unknown): ObjectValue {
    const v = this.build(isPlainObject(after) ? after : {}, afterUnknown === true ? undefined : afterUnknown, 0);
    return v.kind === 'object' ? v : obj(new Map());
  }

  private reason(): string {
    return `${this.address}.${formatAttrPath(this.path)} (known after apply)`;
  }

  private build(after: unknown, unk: unknown, depth: number): Value {
    if (unk === true) {
      const u = unknown(this.reason());
      if (after === undefined) this.notInAfter.add(u);
      return u;
    }
    if (after === undefined) {
      const v = this.fromUnknownOnly(unk, depth);
      this.notInAfter.add(v);
      return v;
    }
    if (after === null) return NULL;
    switch (typeof after) {
      case 'string': return str(after);
      case 'number': return num(after);
      case 'boolean': return bool(after);
    }
    if (depth > 200) return unknown(`${this.address}.${formatAttrPath(this.path)} (nested too deeply to read)`);
    if (Array.isArray(after)) {
      const u = Array.isArray(unk) ? unk : undefined;
      const items: Value[] = new Array(after.length);
      for (let i = 0; i < after.length; i++) {
        this.path.push(i);
        items[i] = this.build(after[i], u?.[i], depth + 1);
        this.path.pop();
      }
      return list(items);
    }
    const o = after as Record<string, unknown>;
    const u = isPlainObject(unk) ? unk : undefined;
    const entries = new Map<string, Value>();
    for (const k of Object.keys(o)) {
      this.path.push(k);
      entries.set(k, this.build(o[k], u?.[k], depth + 1));
      this.path.pop();
    }
    if (u) {
      for (const k of Object.keys(u)) {
        if (k in o || !hasTrue(u[k], 0)) continue;
        this.path.push(k);
        entries.set(k, this.build(undefined, u[k], depth + 1));
        this.path.pop();
      }
    }
    return obj(entries);
  }

  /** Structure that exists only as after_unknown markers (`[{"vpc_id": true}]` with no after). */
  private fromUnknownOnly(unk: unknown, depth: number): Value {
    if (depth > 200) return unknown(this.reason());
    if (Array.isArray(unk)) {
      return list(unk.map((x, i) => {
        this.path.push(i);
        const v = this.build(undefined, x, depth + 1);
        this.path.pop();
        return v;
      }));
    }
    const entries = new Map<string, Value>();
    if (isPlainObject(unk)) {
      for (const k of Object.keys(unk)) {
        if (!hasTrue(unk[k], 0)) continue;
        this.path.push(k);
        entries.set(k, this.build(undefined, unk[k], depth + 1));
        this.path.pop();
      }
    }
    return obj(entries);
  }
}

function hasTrue(j: unknown, depth: number): boolean {
  if (j === true) return true;
  if (depth > 200 || typeof j !== 'object' || j === null) return false;
  return Array.isArray(j) ? j.some((x) => hasTrue(x, depth + 1)) : Object.values(j).some((x) => hasTrue(x, depth + 1));
}

// ---- JSON positions for schema errors ----

/** Offset of the value at `path` in valid JSON text (or of the deepest parent found). */
function locateJsonPath(text: string, path: readonly (string | number)[]): number | undefined {
  let at = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  for (const step of path) {
    const next = childOffset(text, at, step);
    if (next === undefined) return at;
    at = next;
  }
  return at;
}

function childOffset(text: string, at: number, step: string | number): number | undefined {
  const open = text[at];
  if (open !== '{' && open !== '[') return undefined;
  let i = skipSpace(text, at + 1);
  let n = 0;
  while (i < text.length && text[i] !== '}' && text[i] !== ']') {
    let key: string | number = n;
    if (open === '{') {
      const end = skipString(text, i);
      key = JSON.parse(text.slice(i, end)) as string;
      i = skipSpace(text, end);
      i = skipSpace(text, i + 1); // the colon
    }
    if (key === step) return i;
    i = skipSpace(text, skipValue(text, i));
    if (text[i] === ',') i = skipSpace(text, i + 1);
    n++;
  }
  return undefined;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j + 1;
}

function skipValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c !== '{' && c !== '[') {
    let j = i;
    while (j < text.length && !',}] \n\r\t'.includes(text[j])) j++;
    return j;
  }
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const d = text[j];
    if (d === '"') { j = skipString(text, j); continue; }
    if (d === '{' || d === '[') depth++;
    else if (d === '}' || d === ']') { depth--; if (depth === 0) return j + 1; }
    j++;
  }
  return j;
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return isPlainObject(v) ? v : undefined;
}

