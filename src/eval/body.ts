/**
 * Evaluates raw configuration JSON (as hcl2json gives it: strings are templates) into Values,
 * giving each literal the origin of the attribute it is written in, and expanding `dynamic` blocks.
 */
import { HclSyntaxError, parseTemplate } from '../hcl/parser';
import { childPointer, type PathStep, type SourcePointer } from '../model/source';
import { bool, collectRefs, combineMarks, invalid, list, NULL, num, obj, unknown, withMarks, type Value } from '../model/value';
import type { JsonObject } from '../load/parse';
import { evaluate, iterate, type EvalEnv } from './evaluate';

/** Meta-arguments that are not attribute values of the resource (or module call). */
export const META_ARGUMENTS = new Set(['_enabled', 'count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'providers', 'provisioner', 'connection', 'source', 'version']);

export interface BodyEnv {
  readonly env: EvalEnv;
  /** Pointer of the block whose body is evaluated; literals inside get child pointers of it. */
  readonly pointer: SourcePointer;
  /** Words for literal origins ("attribute", "module input", "variable default"). */
  readonly via: string;
}

/** Evaluates a template string or JSON literal found at `pointer`. */
export function evalRaw(raw: unknown, env: EvalEnv, pointer: SourcePointer, via: string): Value {
  const origin = { pointer, via };
  if (typeof raw === 'string') {
    let expr;
    try {
      expr = parseTemplate(raw);
    } catch (e) {
      if (e instanceof HclSyntaxError) return invalid(`could not read expression: ${e.message}`);
      throw e;
    }
    return evaluate(expr, { ...env, origin });
  }
  if (raw === null || raw === undefined) return { kind: 'null', marks: { origin } };
  if (typeof raw === 'number') return num(raw, { origin });
  if (typeof raw === 'boolean') return bool(raw, { origin });
  if (Array.isArray(raw)) return list(raw.map((x, i) => evalRaw(x, env, childPointer(pointer, i), via)));
  if (typeof raw === 'object') {
    const entries = new Map<string, Value>();
    for (const [k, x] of Object.entries(raw as JsonObject)) {
      const key = k.includes('${') ? evalRaw(k, env, pointer, via) : undefined;
      if (key && key.kind !== 'string') return key.kind === 'unknown' ? unknown(key.reason, key.marks) : invalid('object key is not a string');
      entries.set(key ? key.value : k, evalRaw(x, env, childPointer(pointer, k), via));
    }
    return obj(entries);
  }
  return NULL;
}

/**
 * A block body (resource, nested block, module call) as an object value: attributes evaluated,
 * nested blocks as lists of objects, `dynamic` blocks expanded, meta-arguments left out.
 */
export function evalBody(body: JsonObject, be: BodyEnv, skip: ReadonlySet<string> = META_ARGUMENTS): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [name, raw] of Object.entries(body)) {
    if (skip.has(name) || name === 'dynamic') continue;
    out.set(name, evalAttribute(raw, be, [name]));
  }
  if (body.dynamic && typeof body.dynamic === 'object') {
    for (const [name, blocks] of Object.entries(body.dynamic as JsonObject)) {
      const existing = out.get(name);
      const items: Value[] = existing?.kind === 'list' ? [...existing.items] : [];
      const expanded = expandDynamic(name, blocks, be, items.length);
      out.set(name, expanded.kind === 'list' ? list([...items, ...expanded.items]) : expanded);
    }
  }
  return out;
}

/**
 * The arguments of a module call, each evaluated the first time the child module reads it. Inputs
 * must not be evaluated all at once: module A's input may read module B's output while B's input
 * reads A's output, which Terraform orders argument by argument without a cycle.
 */
export class LazyArguments {
  private readonly cache = new Map<string, Value | typeof PENDING>();

  /**
   * @param supplies the arguments pass values into a module: a value with no origin of its own (an
   *   unknown, a mix of several places) counts as supplied on the argument's line.
   */
  constructor(private readonly body: JsonObject, private readonly be: BodyEnv, private readonly skip: ReadonlySet<string> = META_ARGUMENTS, private readonly supplies = false) {}

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.body, name) && !this.skip.has(name) && name !== 'dynamic';
  }

  get(name: string): Value | undefined {
    if (!this.has(name)) return undefined;
    const hit = this.cache.get(name);
    if (hit === PENDING) return invalid(`argument "${name}" refers to itself`);
    if (hit) return hit;
    this.cache.set(name, PENDING);
    let v = evalAttribute(this.body[name], this.be, [name]);
    if (this.supplies && !v.marks?.origin) v = withMarks(v, { origin: { pointer: childPointer(this.be.pointer, name), via: this.be.via } });
    this.cache.set(name, v);
    return v;
  }
}

const PENDING = Symbol('pending');

/** One attribute or nested block list; nested blocks recurse so that their own `dynamic` blocks expand. */
function evalAttribute(raw: unknown, be: BodyEnv, steps: PathStep[]): Value {
  const pointer = childPointer(be.pointer, ...steps);
  if (Array.isArray(raw) && raw.length > 0 && raw.every(isBlockBody)) {
    return list(raw.map((b, i) => obj(evalBody(b as JsonObject, { ...be, pointer: childPointer(pointer, i) }, NO_SKIP))));
  }
  return evalRaw(raw, be.env, pointer, be.via);
}

const NO_SKIP: ReadonlySet<string> = new Set();

/** Nested block bodies are objects whose keys are plain names (no templates). */
function isBlockBody(x: unknown): boolean {
  return !!x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).every((k) => !k.includes('${'));
}

function expandDynamic(name: string, blocks: unknown, be: BodyEnv, startIndex: number): Value {
  const out: Value[] = [];
  for (const spec of Array.isArray(blocks) ? blocks : [blocks]) {
    if (!spec || typeof spec !== 'object') continue;
    const s = spec as JsonObject;
    const iterName = typeof s.iterator === 'string' ? s.iterator.replace(/^\$\{(.*)\}$/, '$1') : name;
    const forEach = evalRaw(s.for_each, be.env, childPointer(be.pointer, name, startIndex + out.length, 'for_each'), be.via);
    const content = (Array.isArray(s.content) ? s.content[0] : s.content) as JsonObject | undefined;
    if (!content) continue;
    const items = iterate(forEach);
    if (!items) {
      // Unknown for_each: evaluate the content once so the references it makes are still seen.
      const bindings = new Map(be.env.bindings);
      bindings.set(iterName, obj({ key: unknown(`dynamic "${name}" key`), value: unknown(`dynamic "${name}" value`) }));
      const probe = obj(evalBody(content, { ...be, env: { ...be.env, bindings }, pointer: childPointer(be.pointer, name, startIndex + out.length) }, NO_SKIP));
      const refs = combineMarks(forEach.marks, { refs: collectRefs(probe) })?.refs;
      return unknown(forEach.kind === 'unknown' ? forEach.reason : `dynamic "${name}" for_each is not a collection`, refs ? { refs } : undefined);
    }
    for (const [k, v] of items) {
      const bindings = new Map(be.env.bindings);
      bindings.set(iterName, obj({ key: k, value: v }));
      out.push(obj(evalBody(content, { ...be, env: { ...be.env, bindings }, pointer: childPointer(be.pointer, name, startIndex + out.length) }, NO_SKIP)));
    }
  }
  return list(out);
}

