/**
 * One instance of a module (the root, or a child made by a `module` block with its key), as a
 * lazy Scope: variables, locals, resources, data sources and child modules are evaluated the first
 * time something refers to them, once, with cycles turned into Unknown values.
 */
import * as path from 'path';
import type { Existence, ModuleCall, Resource } from '../model/model';
import { childPointer, hclPointer, type SourcePointer } from '../model/source';
import { invalid, list, obj, str, unknown, type Marks, type ObjectValue, type Value } from '../model/value';
import { rootDirOf, type Decl, type ModuleSource, type ResourceDecl } from '../load/module-source';
import type { FunctionContext } from './functions';
import { evalBody, evalRaw, LazyArguments } from './body';
import { evaluate, type EvalEnv, type Scope, type StaticStep } from './evaluate';
import { parseTemplate } from '../hcl/parser';
import { applyTypeDefaults, parseTypeConstraint } from './type-constraint';

/** A module instance's input values by variable name (a Map, or arguments evaluated on demand). */
export interface ModuleInputs {
  has(name: string): boolean;
  get(name: string): Value | undefined;
}

/** What a module instance needs from the project around it. */
export interface ModuleHost {
  readonly cwd: string;
  /** The child module instance(s) source for a call: a loaded directory, or why it is missing. */
  resolveCall(parent: ModuleInstance, callName: string, decl: Decl): { source: ModuleSource } | { missing: string };
  /** Reads a file for file()/templatefile(); undefined when unreadable. */
  readFile(abs: string): string | undefined;
  /** Reports a problem once per key. */
  diagnose(key: string, level: 'error' | 'warning' | 'note', message: string, file?: string): void;
}

type Expansion<T> =
  | { readonly mode: 'single'; readonly instances: readonly T[] }
  | { readonly mode: 'count'; readonly instances: readonly T[] }
  | { readonly mode: 'for_each'; readonly instances: readonly T[]; readonly keys: readonly string[] }
  /** count/for_each unknown: one instance that may or may not exist, with an unknown key. */
  | { readonly mode: 'unknown'; readonly instances: readonly T[] };

interface InstanceKey {
  readonly key?: string | number;
  readonly existence: Existence;
  readonly bindings: ReadonlyMap<string, Value>;
}

interface ResourceInstance extends InstanceKey {
  readonly decl: ResourceDecl;
  readonly address: string;
  values?: ObjectValue;
}

const PENDING = Symbol('pending');

/** A literal `false` as hcl2json gives it (a bool, or the template "${false}"). */
function isFalse(raw: unknown): boolean {
  return raw === false || raw === '${false}';
}
/** Selected workspace per `.terraform/environment` path, read once per run. */
const WORKSPACES = new Map<string, Value>();
const MAX_MODULE_DEPTH = 50;

export class ModuleInstance implements Scope {
  readonly functions: FunctionContext;
  private readonly varCache = new Map<string, Value | typeof PENDING>();
  private readonly localCache = new Map<string, Value | typeof PENDING>();
  private readonly resourceCache = new Map<string, Expansion<ResourceInstance> | typeof PENDING>();
  private readonly callCache = new Map<string, Expansion<ModuleInstance> | { missing: string } | typeof PENDING>();
  private readonly outputCache = new Map<string, Value | typeof PENDING>();
  private readonly evaluating = new Set<ResourceInstance>();

  constructor(
    readonly host: ModuleHost,
    readonly source: ModuleSource,
    /** '' for the root, else `module.a["k"].module.b`. */
    readonly address: string,
    readonly chain: readonly ModuleCall[],
    private readonly inputs: ModuleInputs,
    /** The root module directory (or file) this instance belongs to. */
    readonly root: string,
    /** Call names from the root (`['app', 'lambda']`), the key in `.terraform/modules/modules.json`. */
    readonly callPath: readonly string[],
    /** Module directories from the root down to this one, to stop module cycles. */
    readonly ancestry: readonly string[],
    readonly existence: Existence = 'exists',
  ) {
    this.functions = {
      // Terraform resolves relative file paths from the directory it runs in: the root module's.
      baseDir: rootDirOf(root),
      readFile: (p) => host.readFile(p),
      renderTemplate: (template, vars) => renderTemplate(template, vars, this),
    };
  }

  private get env(): EvalEnv {
    return { scope: this };
  }

  // ---------- Scope ----------

  resolve(root: string, steps: readonly StaticStep[]): { value: Value; consumed: number } | undefined {
    const first = steps[0];
    const name = first && 'attr' in first ? first.attr : undefined;
    switch (root) {
      case 'var': return name === undefined ? undefined : { value: this.variable(name), consumed: 1 };
      case 'local': return name === undefined ? undefined : { value: this.local(name), consumed: 1 };
      case 'module': return name === undefined ? undefined : this.moduleRef(name, steps.slice(1));
      case 'path': return { value: this.pathValue(name), consumed: name ? 1 : 0 };
      case 'terraform': return { value: name === 'workspace' ? this.workspace() : unknown(`terraform.${name}`), consumed: name ? 1 : 0 };
      case 'each': case 'count': return { value: invalid(`${root} is not available here`), consumed: 0 };
      case 'self': return { value: unknown('self (known after apply)'), consumed: 0 };
      case 'data': {
        const second = steps[1];
        if (name === undefined || !second || !('attr' in second)) return undefined;
        return this.resourceRef(`data.${name}.${second.attr}`, steps.slice(2), 2);
      }
      case 'ephemeral': {
        const second = steps[1];
        if (name === undefined || !second || !('attr' in second)) return undefined;
        const key = `${name}.${second.attr}`;
        if (!this.source.ephemerals.has(key)) return { value: invalid(`ephemeral.${key} is not declared in this module`), consumed: 2 };
        return { value: unknown(`ephemeral.${key} (ephemeral values exist only while Terraform runs)`), consumed: 2 };
      }
      default:
        if (name === undefined) return undefined;
        return this.resourceRef(`${root}.${name}`, steps.slice(1), 1);
    }
  }

  /**
   * The workspace `terraform workspace select` recorded in the root's `.terraform/environment`;
   * without one it is whatever workspace Terraform will run in — Unknown, not "default": a
   * resource gated on `terraform.workspace == "prod"` must not silently disappear.
   */
  private workspace(): Value {
    const file = path.join(rootDirOf(this.root), '.terraform', 'environment');
    let hit = WORKSPACES.get(file);
    if (!hit) {
      const name = this.host.readFile(file)?.trim();
      hit = name ? str(name) : unknown('terraform.workspace (the workspace is selected when Terraform runs)');
      WORKSPACES.set(file, hit);
    }
    return hit;
  }

  private pathValue(name: string | undefined): Value {
    // As Terraform gives them: relative to where it runs, the root module's directory.
    const rootDir = rootDirOf(this.root);
    const rel = (p: string): string => path.relative(rootDir, p).split(path.sep).join('/') || '.';
    if (name === 'module') return str(rel(this.source.dir));
    if (name === 'root') return str('.');
    if (name === 'cwd') return str(rootDir);
    return invalid(`unknown path attribute "${name}"`);
  }

  variable(name: string): Value {
    const hit = this.varCache.get(name);
    if (hit === PENDING) return unknown(`var.${name} (its value depends on itself)`);
    if (hit) return hit;
    const decl = this.source.variables.get(name);
    let v: Value;
    this.varCache.set(name, PENDING);
    const fromDefault = (): Value => evalRaw(decl!.body.default, this.env, hclPointer(decl!.file, [...decl!.path, 'default']), `default of variable "${name}"`);
    if (!decl) v = invalid(`var.${name} is not declared`);
    else if (this.inputs.has(name)) {
      v = this.inputs.get(name) ?? unknown(`var.${name} (no value given)`);
      // `nullable = false`: a null value given for the variable means its default.
      if (v.kind === 'null' && 'default' in decl.body && isFalse(decl.body.nullable)) v = fromDefault();
    } else if ('default' in decl.body) v = fromDefault();
    else v = unknown(`var.${name} (no value given)`);
    const type = decl && parseTypeConstraint(decl.body.type);
    if (decl && type) v = applyTypeDefaults(v, type, this, { pointer: hclPointer(decl.file, [...decl.path, 'type']), via: `type of variable "${name}"` });
    this.varCache.set(name, v);
    return v;
  }

  local(name: string): Value {
    const hit = this.localCache.get(name);
    if (hit === PENDING) return invalid(`local.${name} refers to itself`);
    if (hit) return hit;
    const decl = this.source.locals.get(name);
    if (!decl) return invalid(`local.${name} is not declared`);
    this.localCache.set(name, PENDING);
    const v = evalRaw(decl.expr, this.env, hclPointer(decl.file, decl.path), `local "${name}"`);
    this.localCache.set(name, v);
    return v;
  }

  // ---------- resources ----------

  private resourceRef(key: string, rest: readonly StaticStep[], used: number): { value: Value; consumed: number } {
    const exp = this.expandResource(key);
    if (exp === PENDING) return { value: unknown(`${this.qualify(key)} (its count or for_each depends on itself)`), consumed: used };
    if (!exp) return { value: invalid(`${key} is not declared in this module`), consumed: used };
    const pick = pickInstance(exp, rest[0]);
    if (pick.instance) return { value: this.instanceObject(pick.instance), consumed: used + pick.consumed };
    if (pick.invalid) return { value: invalid(`${this.qualify(key)}${pick.invalid}`), consumed: used + 1 };
    return { value: collectionOf(exp, (i) => this.instanceObject(i)), consumed: used };
  }

  private qualify(key: string): string {
    return this.address ? `${this.address}.${key}` : key;
  }

  private expandResource(key: string): Expansion<ResourceInstance> | typeof PENDING | undefined {
    const hit = this.resourceCache.get(key);
    if (hit) return hit;
    const decl = this.source.resources.get(key);
    if (!decl) return undefined;
    // count/for_each that reach this resource again (a cycle Terraform rejects) see it as pending.
    this.resourceCache.set(key, PENDING);
    const exp = expand(decl.body, this.env, hclPointer(decl.file, decl.path), this.existence, this.source.virtual, (k) => ({
      ...k,
      decl,
      address: this.qualify(key) + keySuffix(k.key),
    }));
    this.resourceCache.set(key, exp);
    return exp;
  }

  private instanceValues(inst: ResourceInstance): ObjectValue {
    if (inst.values) return inst.values;
    if (this.evaluating.has(inst)) return obj(new Map(), { refs: [] });
    this.evaluating.add(inst);
    const pointer = hclPointer(inst.decl.file, inst.decl.path);
    const values = obj(evalBody(inst.decl.body, { env: { scope: this, bindings: inst.bindings }, pointer, via: 'attribute' }));
    this.evaluating.delete(inst);
    inst.values = values;
    return values;
  }

  /** The instance as other expressions see it: its values, marked as read from it. */
  private instanceObject(inst: ResourceInstance): Value {
    const marks: Marks = { refs: [{ address: inst.address, attribute: [] }] };
    return { ...this.instanceValues(inst), marks };
  }

  // ---------- module calls ----------

  private moduleRef(name: string, rest: readonly StaticStep[]): { value: Value; consumed: number } {
    const exp = this.expandCall(name);
    if (exp === PENDING) return { value: unknown(`module.${name} (its count or for_each depends on itself)`), consumed: 1 };
    if (!exp) return { value: invalid(`module.${name} is not declared`), consumed: 1 };
    if ('missing' in exp) return { value: unknown(`module.${name} (${exp.missing})`), consumed: 1 };
    const pick = pickInstance(exp, rest[0]);
    const after = rest[pick.consumed];
    if (pick.instance) {
      if (after && 'attr' in after) return { value: pick.instance.output(after.attr), consumed: 1 + pick.consumed + 1 };
      return { value: pick.instance.outputsObject(), consumed: 1 + pick.consumed };
    }
    if (pick.invalid) return { value: invalid(`module.${name}${pick.invalid}`), consumed: 2 };
    return { value: collectionOf(exp, (m) => m.outputsObject()), consumed: 1 };
  }

  expandCall(name: string): Expansion<ModuleInstance> | { missing: string } | typeof PENDING | undefined {
    const hit = this.callCache.get(name);
    if (hit) return hit;
    const decl = this.source.moduleCalls.get(name);
    if (!decl) return undefined;
    const resolved = this.host.resolveCall(this, name, decl);
    if ('missing' in resolved) {
      this.callCache.set(name, resolved);
      return resolved;
    }
    const pointer = hclPointer(decl.file, decl.path);
    this.callCache.set(name, PENDING);
    const exp = expand(decl.body, this.env, pointer, this.existence, false, (k) => {
      const address = `${this.address ? this.address + '.' : ''}module.${name}${keySuffix(k.key)}`;
      const inputs = new LazyArguments(decl.body, { env: { scope: this, bindings: k.bindings }, pointer, via: `input of module "${name}"` }, undefined, true);
      return new ModuleInstance(this.host, resolved.source, address, [...this.chain, { address, pointer }], inputs, this.root, [...this.callPath, name], [...this.ancestry, resolved.source.dir], k.existence);
    });
    this.callCache.set(name, exp);
    return exp;
  }

  output(name: string): Value {
    const hit = this.outputCache.get(name);
    if (hit === PENDING) return invalid(`output ${name} refers to itself`);
    if (hit) return hit;
    const decl = this.source.outputs.get(name);
    if (!decl) return invalid(`${this.address || 'the root module'} has no output "${name}"`);
    this.outputCache.set(name, PENDING);
    const v = evalRaw(decl.body.value, this.env, hclPointer(decl.file, [...decl.path, 'value']), `output "${name}"`);
    this.outputCache.set(name, v);
    return v;
  }

  outputsObject(): Value {
    const entries = new Map<string, Value>();
    for (const name of this.source.outputs.keys()) entries.set(name, this.output(name));
    return obj(entries);
  }

  // ---------- the model ----------

  /** Every resource instance of this module and its descendants. */
  collect(out: Resource[], depth = 0): void {
    for (const key of this.source.resources.keys()) {
      const exp = this.expandResource(key);
      if (!exp || exp === PENDING) continue;
      for (const inst of exp.instances) {
        try {
          out.push(this.toResource(inst));
        } catch (e) {
          // A reference chain too deep for the stack must cost one resource, not the whole lint.
          if (!(e instanceof RangeError)) throw e;
          this.host.diagnose(`overflow:${inst.address}`, 'error', `${inst.address}: its values refer to each other too deeply to evaluate (${e.message}); it is not linted`, inst.decl.file);
        }
      }
    }
    if (depth >= MAX_MODULE_DEPTH) {
      this.host.diagnose(`depth:${this.source.dir}`, 'error', `modules nested more than ${MAX_MODULE_DEPTH} deep at ${this.address}; deeper modules are not linted`);
      return;
    }
    for (const name of this.source.moduleCalls.keys()) {
      const exp = this.expandCall(name);
      if (!exp || exp === PENDING || 'missing' in exp) continue;
      for (const child of exp.instances) child.collect(out, depth + 1);
    }
  }

  private toResource(inst: ResourceInstance): Resource {
    const { decl } = inst;
    // A stub's resources have no source of their own: they point at the module call that made them.
    const call = this.chain[this.chain.length - 1];
    const pointer: SourcePointer = this.source.virtual && call ? call.pointer : hclPointer(decl.file, decl.path);
    return {
      address: inst.address,
      resourceAddress: this.qualify(decl.mode === 'data' ? `data.${decl.type}.${decl.name}` : `${decl.type}.${decl.name}`),
      moduleAddress: this.address,
      mode: decl.mode,
      type: decl.type,
      name: decl.name,
      ...(inst.key !== undefined ? { key: inst.key } : {}),
      existence: inst.existence,
      values: this.instanceValues(inst),
      pointer,
      attributePointer: this.source.virtual ? () => pointer : (p) => childPointer(pointer, ...p),
      moduleChain: this.chain,
      root: this.root,
    };
  }
}

// ---------- count / for_each ----------

function expand<T>(
  body: Record<string, unknown>,
  env: EvalEnv,
  pointer: SourcePointer,
  parentExistence: Existence,
  virtual: boolean,
  make: (k: InstanceKey) => T,
): Expansion<T> {
  if (virtual && '_enabled' in body) {
    const enabled = evalRaw(body._enabled, env, pointer, '_enabled');
    if (enabled.kind === 'bool' && !enabled.value) return { mode: 'single', instances: [] };
    if (enabled.kind !== 'bool') parentExistence = 'maybe';
  }
  if ('count' in body) {
    const c = evalRaw(body.count, env, childPointer(pointer, 'count'), 'count');
    if (c.kind === 'number' && Number.isInteger(c.value) && c.value >= 0) {
      const instances = Array.from({ length: Math.min(c.value, 10_000) }, (_, i) =>
        make({ key: i, existence: parentExistence, bindings: new Map([['count', obj({ index: { kind: 'number', value: i } })]]) }));
      return { mode: 'count', instances };
    }
    return { mode: 'unknown', instances: [make({ existence: 'maybe', bindings: new Map([['count', obj({ index: unknown(c.kind === 'unknown' ? c.reason : 'count is not a whole number') })]]) })] };
  }
  if ('for_each' in body) {
    const fe = evalRaw(body.for_each, env, childPointer(pointer, 'for_each'), 'for_each');
    const pairs = forEachPairs(fe);
    if (pairs) {
      const instances = pairs.map(([k, v, keyValue]) => make({ key: k, existence: parentExistence, bindings: new Map([['each', obj({ key: keyValue, value: v })]]) }));
      return { mode: 'for_each', instances, keys: pairs.map(([k]) => k) };
    }
    const reason = fe.kind === 'unknown' ? fe.reason : 'for_each is not a map or set of strings';
    return { mode: 'unknown', instances: [make({ existence: 'maybe', bindings: new Map([['each', obj({ key: unknown(reason), value: unknown(reason, fe.marks) })]]) })] };
  }
  return { mode: 'single', instances: [make({ existence: parentExistence, bindings: new Map() })] };
}

/** for_each keys and values: a map's entries, or a set of strings (each.value = each.key). The key
 *  value keeps the marks of a set item, so `function_name = each.key` still names its source. */
function forEachPairs(v: Value): [string, Value, Value][] | undefined {
  if (v.kind === 'object') return [...v.entries].map(([k, x]) => [k, x, str(k)]);
  if (v.kind === 'list') {
    const out: [string, Value, Value][] = [];
    for (const item of v.items) {
      if (item.kind !== 'string') return undefined;
      if (!out.some(([k]) => k === item.value)) out.push([item.value, item, item]);
    }
    return out;
  }
  return undefined;
}

/** Chooses the instance a static key names; for a counted/for_each resource without a key, none. */
function pickInstance<T extends InstanceKey | ModuleInstance>(exp: Expansion<T>, step: StaticStep | undefined): { instance?: T; consumed: number; invalid?: string } {
  if (exp.mode === 'single' || exp.mode === 'unknown') {
    const consumed = exp.mode === 'unknown' && step && 'index' in step ? 1 : 0;
    return { instance: exp.instances[0], consumed };
  }
  if (!step || !('index' in step)) return { consumed: 0 };
  const i = exp.mode === 'count' ? Number(step.index) : exp.keys.indexOf(String(step.index));
  const instance = exp.instances[i];
  return instance ? { instance, consumed: 1 } : { consumed: 1, invalid: `[${JSON.stringify(step.index)}] does not exist` };
}

/** A counted resource/module is a list of instances; a for_each one an object keyed like it. */
function collectionOf<T>(exp: Expansion<T>, view: (t: T) => Value): Value {
  if (exp.mode === 'for_each') return obj(new Map(exp.keys.map((k, i) => [k, view(exp.instances[i])])));
  return list(exp.instances.map(view));
}

export function keySuffix(key: string | number | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}


/** templatefile(): the template sees only the variables passed to it. */
function renderTemplate(template: string, vars: Value, host: ModuleInstance): Value {
  let expr;
  try {
    expr = parseTemplate(template);
  } catch (e) {
    return invalid(`templatefile(): ${(e as Error).message}`);
  }
  if (vars.kind === 'unknown') return unknown(vars.reason, vars.marks);
  const bindings = new Map(vars.kind === 'object' ? vars.entries : []);
  const scope: Scope = { resolve: (root) => ({ value: invalid(`templatefile(): "${root}" is not a template variable`), consumed: 0 }), functions: host.functions };
  return evaluate(expr, { scope, bindings });
}

