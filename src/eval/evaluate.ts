/**
 * Evaluates expression trees to Values. Knows the language (operators, conditionals, for,
 * splats, templates, try/can); knows nothing of modules: names like `var.x` or `aws_x.y.arn`
 * are resolved by the Scope, which may consume as many static steps as it understands.
 */
import type { Expr, TemplatePart } from '../hcl/ast';
import { exprText } from '../hcl/ast';
import {
  bool, combineMarks, invalid, list, NULL, num, obj, str, unknown, valuesEqual, withMarks,
  type Marks, type Origin, type UnknownValue, type Value,
} from '../model/value';
import { callFunction, type FunctionContext } from './functions';

export type StaticStep = { readonly attr: string } | { readonly index: string | number };

export interface Scope {
  /** Resolves `root` followed by static steps; returns how many steps it consumed. */
  resolve(root: string, steps: readonly StaticStep[]): { value: Value; consumed: number } | undefined;
  readonly functions: FunctionContext;
}

/** Per-evaluation state: the scope, the origin literals get, and bound names (for vars, splat item). */
export interface EvalEnv {
  readonly scope: Scope;
  readonly origin?: Origin;
  readonly bindings?: ReadonlyMap<string, Value>;
}

const MAX_DEPTH = 200;

export function evaluate(e: Expr, env: EvalEnv, depth = 0): Value {
  if (depth > MAX_DEPTH) return invalid('expression nested too deeply');
  const d = depth + 1;
  switch (e.type) {
    case 'literal': return literal(e.value, env.origin);
    case 'template': return template(e.parts, env, d);
    case 'variable': case 'getattr': case 'index': return traversal(e, env, d);
    case 'splatItem': return env.bindings?.get('\0splat') ?? invalid('splat item outside a splat');
    case 'splat': return splat(e.target, e.each, env, d);
    case 'call': return call(e, env, d);
    case 'tuple': return list(e.items.map((i) => evaluate(i, env, d)));
    case 'object': return objectExpr(e.items, env, d);
    case 'unary': return unary(e.op, evaluate(e.operand, env, d));
    case 'binary': return binary(e.op, e.left, e.right, env, d);
    case 'conditional': return conditional(e, env, d);
    case 'for': return forExpr(e, env, d);
  }
}

function literal(value: string | number | boolean | null, origin: Origin | undefined): Value {
  const marks: Marks | undefined = origin ? { origin } : undefined;
  if (value === null) return marks ? { kind: 'null', marks } : NULL;
  if (typeof value === 'string') return str(value, marks);
  if (typeof value === 'number') return num(value, marks);
  return bool(value, marks);
}

// ---------- templates ----------

function template(parts: readonly TemplatePart[], env: EvalEnv, d: number): Value {
  if (parts.length === 1 && parts[0].type === 'interp') return evaluate(parts[0].expr, env, d);
  const pieces: Value[] = [];
  if (!renderParts(parts, env, d, pieces)) return pieces[pieces.length - 1];
  let text = '';
  const marks: (Marks | undefined)[] = [];
  for (const p of pieces) {
    if (p.kind === 'unknown') return unknown(p.reason, combineMarks(...pieces.map((x) => x.marks)));
    text += (p as { value: string }).value;
    marks.push(p.marks);
  }
  const literalOnly = parts.every((p) => p.type === 'text');
  return str(text, literalOnly && env.origin ? { origin: env.origin } : combineMarks(...marks));
}

/** Appends string pieces; returns false (with the failing value last) when a piece cannot be a string. */
function renderParts(parts: readonly TemplatePart[], env: EvalEnv, d: number, out: Value[]): boolean {
  for (const p of parts) {
    if (p.type === 'text') { out.push(str(p.text)); continue; }
    if (p.type === 'interp') {
      const v = toStringValue(evaluate(p.expr, env, d), exprText(p.expr));
      out.push(v);
      if (v.kind === 'unknown' && v.invalid) return false;
      continue;
    }
    if (p.type === 'if') {
      const c = evaluate(p.cond, env, d);
      if (c.kind !== 'bool') { out.push(c.kind === 'unknown' ? c : invalid('template condition is not a bool')); if (c.kind !== 'unknown') return false; continue; }
      if (!renderParts(c.value ? p.then : p.else, env, d, out)) return false;
      continue;
    }
    const coll = evaluate(p.collection, env, d);
    const items = iterate(coll);
    if (!items) { out.push(coll.kind === 'unknown' ? coll : invalid('template for over a non-collection')); if (coll.kind !== 'unknown') return false; continue; }
    for (const [k, v] of items) {
      const bindings = new Map(env.bindings);
      if (p.keyVar) bindings.set(p.keyVar, k);
      bindings.set(p.valVar, v);
      if (!renderParts(p.body, { ...env, bindings }, d, out)) return false;
    }
  }
  return true;
}

function toStringValue(v: Value, what: string): Value {
  switch (v.kind) {
    case 'string': case 'unknown': return v;
    case 'number': return str(formatNumber(v.value), v.marks);
    case 'bool': return str(String(v.value), v.marks);
    case 'null': return invalid(`${what} is null in a string template`, v.marks);
    default: return invalid(`${what} is a ${v.kind}, not a string`, v.marks);
  }
}

/** An unknown that follows from `u`: invalid when `u` is (Terraform fails on it, and try() skips it). */
function derived(u: UnknownValue, reason: string, marks: Marks | undefined): UnknownValue {
  return u.invalid ? invalid(reason, marks) : unknown(reason, marks);
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toFixed(0) : String(n);
}

// ---------- references ----------

type Step = { readonly attr: string } | { readonly index: Expr };

/** Unwinds `a.b[0].c` into its root name and steps. */
function chain(e: Expr): { root: Expr; steps: Step[] } {
  const steps: Step[] = [];
  let cur = e;
  for (;;) {
    if (cur.type === 'getattr') { steps.unshift({ attr: cur.name }); cur = cur.target; continue; }
    if (cur.type === 'index') { steps.unshift({ index: cur.key }); cur = cur.target; continue; }
    return { root: cur, steps };
  }
}

function traversal(e: Expr, env: EvalEnv, d: number): Value {
  const { root, steps } = chain(e);
  let value: Value;
  let rest: Step[];
  if (root.type === 'variable') {
    const bound = env.bindings?.get(root.name);
    if (bound) {
      value = bound;
      rest = steps;
    } else {
      const staticSteps: StaticStep[] = [];
      for (const s of steps) {
        if ('attr' in s) staticSteps.push(s);
        else if (s.index.type === 'literal' && (typeof s.index.value === 'string' || typeof s.index.value === 'number')) staticSteps.push({ index: s.index.value });
        else break;
      }
      const r = env.scope.resolve(root.name, staticSteps);
      if (!r) return invalid(`unknown name "${root.name}"`);
      value = r.value;
      rest = steps.slice(r.consumed);
    }
  } else {
    value = evaluate(root, env, d);
    rest = steps;
  }
  for (const s of rest) {
    value = 'attr' in s ? getAttribute(value, s.attr) : indexValue(value, evaluate(s.index, env, d));
  }
  return value;
}

/** The ref marks a resource object carries for itself (attribute path empty). */
function wholeResourceRefs(v: Value): { address: string; attribute: readonly string[] }[] {
  return (v.marks?.refs ?? []).filter((r) => r.attribute.length === 0);
}

export function getAttribute(v: Value, name: string): Value {
  if (v.kind === 'unknown') {
    const own = wholeResourceRefs(v);
    if (own.length) return derived(v, `${v.reason.replace(/ \(known after apply\)$/, '')}.${name} (known after apply)`, { refs: own.map((r) => ({ address: r.address, attribute: [name] })) });
    return v;
  }
  if (v.kind === 'object') {
    const own = wholeResourceRefs(v);
    const narrowed = own.length ? { refs: own.map((r) => ({ address: r.address, attribute: [name] })) } : undefined;
    const hit = v.entries.get(name);
    if (hit) return narrowed ? withMarks(hit, narrowed) : inheritRefs(hit, v);
    if (own.length) return unknown(`${own[0].address}.${name} (known after apply)`, narrowed);
    // A nested block read out of a resource (`domain_name_configuration[0]`) lacks the attributes
    // the provider computes (`target_domain_name`): known after apply, not an error.
    const part = (v.marks?.refs ?? []).filter((r) => r.attribute.length > 0);
    if (part.length) {
      return unknown(`${part[0].address}.${part[0].attribute.join('.')}.${name} (known after apply)`, { refs: part.map((r) => ({ address: r.address, attribute: [...r.attribute, name] })) });
    }
    return invalid(`object has no attribute "${name}"`, v.marks?.refs ? { refs: v.marks.refs } : undefined);
  }
  if (v.kind === 'null') return invalid(`cannot read "${name}" of null`);
  return invalid(`cannot read attribute "${name}" of a ${v.kind}`);
}

/** An element that names no resource of its own keeps the refs of the collection it was taken from. */
function inheritRefs(item: Value, container: Value): Value {
  return container.marks?.refs && !item.marks?.refs?.length ? withMarks(item, { refs: container.marks.refs }) : item;
}

export function indexValue(v: Value, key: Value): Value {
  if (v.kind === 'unknown' && v.invalid) return v;
  if (key.kind === 'unknown') return derived(key, key.reason, combineMarks(v.marks, key.marks));
  if (v.kind === 'unknown') return v;
  if (v.kind === 'list') {
    const i = key.kind === 'number' ? key.value : key.kind === 'string' && /^\d+$/.test(key.value) ? Number(key.value) : NaN;
    if (!Number.isInteger(i)) return invalid('list index is not a whole number');
    const item = v.items[i];
    return item ? inheritRefs(item, v) : invalid(`index ${i} out of range`);
  }
  if (v.kind === 'object') {
    const k = key.kind === 'string' ? key.value : key.kind === 'number' ? formatNumber(key.value) : undefined;
    if (k === undefined) return invalid('object key is not a string');
    const hit = v.entries.get(k);
    if (hit) return inheritRefs(hit, v);
    const own = wholeResourceRefs(v);
    if (own.length) return unknown(`${own[0].address}["${k}"] (known after apply)`, { refs: own.map((r) => ({ address: r.address, attribute: [k] })) });
    return invalid(`no key "${k}"`);
  }
  return invalid(`cannot index a ${v.kind}`);
}

function splat(target: Expr, each: Expr, env: EvalEnv, d: number): Value {
  const t = evaluate(target, env, d);
  if (t.kind === 'unknown') return t;
  if (t.kind === 'null') return list([]);
  const items = t.kind === 'list' ? t.items : [t];
  const bindings = new Map(env.bindings);
  return list(items.map((item) => {
    bindings.set('\0splat', inheritRefs(item, t));
    return evaluate(each, { ...env, bindings }, d);
  }), t.marks?.refs ? { refs: t.marks.refs } : undefined);
}

// ---------- calls ----------

function call(e: Extract<Expr, { type: 'call' }>, env: EvalEnv, d: number): Value {
  if (e.name === 'try') {
    let lastInvalid: Value = invalid('try(): no argument succeeded');
    for (const a of e.args) {
      const v = evaluate(a, env, d);
      const bad = invalidPart(v);
      if (bad) { lastInvalid = bad; continue; }
      return v;
    }
    return lastInvalid;
  }
  if (e.name === 'can') {
    if (e.args.length !== 1) return invalid('can() takes one argument');
    const v = evaluate(e.args[0], env, d);
    if (invalidPart(v)) return bool(false);
    if (v.kind === 'unknown') return unknown(v.reason, v.marks);
    return bool(true);
  }
  let args = e.args.map((a) => evaluate(a, env, d));
  if (e.expandFinal && args.length) {
    const last = args[args.length - 1];
    if (last.kind === 'unknown') return derived(last, last.reason, last.marks);
    if (last.kind !== 'list') return invalid(`${e.name}(): the final argument to expand is not a list`);
    args = [...args.slice(0, -1), ...last.items];
  }
  return callFunction(e.name, args, env.scope.functions);
}

/** An invalid value anywhere in `v` (`[var.o.missing]` fails as a whole in Terraform), or undefined. */
function invalidPart(v: Value, depth = 0): UnknownValue | undefined {
  if (v.kind === 'unknown') return v.invalid ? v : undefined;
  if (depth > 32) return undefined;
  if (v.kind === 'list') for (const item of v.items) { const bad = invalidPart(item, depth + 1); if (bad) return bad; }
  if (v.kind === 'object') for (const item of v.entries.values()) { const bad = invalidPart(item, depth + 1); if (bad) return bad; }
  return undefined;
}

function objectExpr(items: readonly { key: Expr; value: Expr }[], env: EvalEnv, d: number): Value {
  const entries = new Map<string, Value>();
  for (const it of items) {
    const k = toStringValue(evaluate(it.key, env, d), 'object key');
    const v = evaluate(it.value, env, d);
    if (k.kind === 'unknown') return derived(k, k.reason, combineMarks(k.marks, v.marks));
    entries.set((k as { value: string }).value, v);
  }
  return obj(entries);
}

// ---------- operators ----------

function unary(op: '!' | '-', v: Value): Value {
  if (v.kind === 'unknown') return v;
  if (op === '!') return v.kind === 'bool' ? bool(!v.value, v.marks) : invalid('"!" needs a bool');
  const n = toNumber(v);
  return n === undefined ? invalid('"-" needs a number') : num(-n, v.marks);
}

function toNumber(v: Value): number | undefined {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'string' && v.value.trim() !== '' && !Number.isNaN(Number(v.value))) return Number(v.value);
  return undefined;
}

function toBool(v: Value): boolean | undefined {
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'string' && (v.value === 'true' || v.value === 'false')) return v.value === 'true';
  return undefined;
}

function binary(op: string, le: Expr, re: Expr, env: EvalEnv, d: number): Value {
  const l = evaluate(le, env, d);
  if (op === '&&' || op === '||') {
    const lb = toBool(l);
    // Decided by the left side alone: false && x, true || x.
    if (lb === (op === '||')) return bool(lb, l.marks);
    const r = evaluate(re, env, d);
    const rb = toBool(r);
    if (rb === (op === '||')) return bool(rb, r.marks);
    if (l.kind === 'unknown') return l;
    if (r.kind === 'unknown') return r;
    if (lb === undefined || rb === undefined) return invalid(`"${op}" needs bools`);
    return bool(op === '&&' ? lb && rb : lb || rb, combineMarks(l.marks, r.marks));
  }
  const r = evaluate(re, env, d);
  const marks = combineMarks(l.marks, r.marks);
  // An invalid side decides (Terraform fails), else an unknown one.
  const u = [l, r].find((x): x is UnknownValue => x.kind === 'unknown' && !!x.invalid) ?? [l, r].find((x): x is UnknownValue => x.kind === 'unknown');
  if (u) return derived(u, u.reason, marks);
  if (op === '==' || op === '!=') {
    const eq = valuesEqual(l, r);
    if (eq === undefined) return unknown('comparison of values with unknown parts', marks);
    return bool(op === '==' ? eq : !eq, marks);
  }
  const a = toNumber(l);
  const b = toNumber(r);
  if (a === undefined || b === undefined) return invalid(`"${op}" needs numbers`, marks);
  switch (op) {
    case '+': return num(a + b, marks);
    case '-': return num(a - b, marks);
    case '*': return num(a * b, marks);
    case '/': return b === 0 ? invalid('division by zero', marks) : num(a / b, marks);
    case '%': return b === 0 ? invalid('modulo by zero', marks) : num(a % b, marks);
    case '<': return bool(a < b, marks);
    case '<=': return bool(a <= b, marks);
    case '>': return bool(a > b, marks);
    case '>=': return bool(a >= b, marks);
  }
  return invalid(`unknown operator ${op}`);
}


function conditional(e: Extract<Expr, { type: 'conditional' }>, env: EvalEnv, d: number): Value {
  const c = evaluate(e.cond, env, d);
  const cb = toBool(c);
  if (cb !== undefined) return evaluate(cb ? e.then : e.else, env, d);
  if (c.kind !== 'unknown') return invalid('condition is not a bool');
  if (c.invalid) return c;
  const t = evaluate(e.then, env, d);
  const f = evaluate(e.else, env, d);
  if (valuesEqual(t, f) === true) return t;
  // Either branch may be the value: keep both branches' references so linking sees them.
  return unknown(`${exprText(e.cond)} (${c.reason})`, { refs: combineMarks(t.marks, f.marks)?.refs });
}

/** Key/value pairs of a collection (lists by index, objects by key), or undefined. */
export function iterate(v: Value): [Value, Value][] | undefined {
  if (v.kind === 'list') return v.items.map((item, i) => [num(i), inheritRefs(item, v)]);
  if (v.kind === 'object') return [...v.entries].map(([k, item]) => [str(k), inheritRefs(item, v)]);
  return undefined;
}

function forExpr(e: Extract<Expr, { type: 'for' }>, env: EvalEnv, d: number): Value {
  const coll = evaluate(e.collection, env, d);
  if (coll.kind === 'unknown') return derived(coll, coll.reason, coll.marks);
  const items = iterate(coll);
  if (!items) return invalid('for expression over a non-collection');
  const outList: Value[] = [];
  const outObj = new Map<string, Value>();
  const groups = new Map<string, Value[]>();
  for (const [k, v] of items) {
    const bindings = new Map(env.bindings);
    if (e.keyVar) bindings.set(e.keyVar, k);
    bindings.set(e.valVar, v);
    const inner = { ...env, bindings };
    if (e.cond) {
      const cv = evaluate(e.cond, inner, d);
      const c = toBool(cv);
      if (c === undefined) {
        const reason = `the condition of a for expression over ${exprText(e.collection)}`;
        return cv.kind === 'unknown' ? derived(cv, reason, coll.marks) : invalid(`${reason} is not a bool`, coll.marks);
      }
      if (!c) continue;
    }
    const val = evaluate(e.valExpr, inner, d);
    if (!e.keyExpr) { outList.push(val); continue; }
    const key = toStringValue(evaluate(e.keyExpr, inner, d), 'for key');
    if (key.kind === 'unknown') return derived(key, key.reason, combineMarks(key.marks, val.marks));
    const ks = (key as { value: string }).value;
    if (e.grouped) groups.set(ks, [...(groups.get(ks) ?? []), val]);
    else outObj.set(ks, val);
  }
  if (!e.keyExpr) return list(outList);
  if (e.grouped) for (const [k, vs] of groups) outObj.set(k, list(vs));
  return obj(outObj);
}
