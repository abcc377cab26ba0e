/**
 * Values of the Terraform language as the linter knows them. What cannot be known is an
 * Unknown value with the reason (the variable or expression it depends on), never `undefined`.
 *
 * Every value may carry marks: where its literal was written (origin) and which resources it
 * was read from (refs). Marks flow through locals, module inputs and outputs, so the graph can
 * link `aws_api_gateway_integration.uri` to the Lambda even across modules.
 */
import type { SourcePointer } from './source';

/** A resource (or resource instance) attribute that a value was derived from. */
export interface ResourceRef {
  /** Absolute address of the referenced resource instance (or resource, when the key is unknown). */
  readonly address: string;
  /** Attribute path read from it (`['invoke_arn']`); empty when the whole object was used. */
  readonly attribute: readonly string[];
}

/** Where a value was supplied: the literal's own attribute, or the module call / tfvars / default. */
export interface Origin {
  readonly pointer: SourcePointer;
  /** Human words for the place: "variable default", "module input", "terraform.tfvars", "--var". */
  readonly via: string;
}

export interface Marks {
  readonly origin?: Origin;
  readonly refs?: readonly ResourceRef[];
}

interface Base {
  readonly marks?: Marks;
}

export interface UnknownValue extends Base {
  readonly kind: 'unknown';
  /** What it depends on, for messages: "var.runtime (no value given)", "aws_x.y.arn (known after apply)". */
  readonly reason: string;
  /** The expression is invalid (Terraform would fail), not merely unknown until apply: `try()` skips it. */
  readonly invalid?: true;
  /** An unknown string that is the JSON encoding of this partly known value (`jsonencode(…)` of a
   *  policy whose resource ARN is known only after apply): its known structure can still be read. */
  readonly encodes?: Value;
}
export interface NullValue extends Base { readonly kind: 'null' }
export interface StringValue extends Base { readonly kind: 'string'; readonly value: string }
export interface NumberValue extends Base { readonly kind: 'number'; readonly value: number }
export interface BoolValue extends Base { readonly kind: 'bool'; readonly value: boolean }
/** Lists, tuples and sets. */
export interface ListValue extends Base { readonly kind: 'list'; readonly items: readonly Value[] }
/** Objects and maps; keys keep insertion order. */
export interface ObjectValue extends Base { readonly kind: 'object'; readonly entries: ReadonlyMap<string, Value> }

export type Value = UnknownValue | NullValue | StringValue | NumberValue | BoolValue | ListValue | ObjectValue;
export type KnownScalar = StringValue | NumberValue | BoolValue;

export const NULL: NullValue = { kind: 'null' };

export function unknown(reason: string, marks?: Marks): UnknownValue {
  return marks ? { kind: 'unknown', reason, marks } : { kind: 'unknown', reason };
}
/** An expression Terraform would reject (missing attribute, wrong type): unknown to us, and skipped by `try()`. */
export function invalid(reason: string, marks?: Marks): UnknownValue {
  return marks ? { kind: 'unknown', reason, invalid: true, marks } : { kind: 'unknown', reason, invalid: true };
}
export function str(value: string, marks?: Marks): StringValue {
  return marks ? { kind: 'string', value, marks } : { kind: 'string', value };
}
export function num(value: number, marks?: Marks): NumberValue {
  return marks ? { kind: 'number', value, marks } : { kind: 'number', value };
}
export function bool(value: boolean, marks?: Marks): BoolValue {
  return marks ? { kind: 'bool', value, marks } : { kind: 'bool', value };
}
export function list(items: readonly Value[], marks?: Marks): ListValue {
  return marks ? { kind: 'list', items, marks } : { kind: 'list', items };
}
export function obj(entries: ReadonlyMap<string, Value> | Record<string, Value>, marks?: Marks): ObjectValue {
  const map = entries instanceof Map ? entries : new Map(Object.entries(entries));
  return marks ? { kind: 'object', entries: map, marks } : { kind: 'object', entries: map };
}

export function isUnknown(v: Value): v is UnknownValue {
  return v.kind === 'unknown';
}

/** True when no part of the value is unknown. */
export function isWhollyKnown(v: Value): boolean {
  switch (v.kind) {
    case 'unknown': return false;
    case 'list': return v.items.every(isWhollyKnown);
    case 'object': for (const e of v.entries.values()) if (!isWhollyKnown(e)) return false; return true;
    default: return true;
  }
}

/** The first unknown inside a value, to explain what a decision depends on. */
export function firstUnknown(v: Value): UnknownValue | undefined {
  switch (v.kind) {
    case 'unknown': return v;
    case 'list': for (const i of v.items) { const u = firstUnknown(i); if (u) return u; } return undefined;
    case 'object': for (const e of v.entries.values()) { const u = firstUnknown(e); if (u) return u; } return undefined;
    default: return undefined;
  }
}

// ---- marks ----

function mergeRefs(a: readonly ResourceRef[] | undefined, b: readonly ResourceRef[] | undefined): readonly ResourceRef[] | undefined {
  if (!a || a.length === 0) return b;
  if (!b || b.length === 0) return a;
  const seen = new Set(a.map(refKey));
  const out = [...a];
  for (const r of b) if (!seen.has(refKey(r))) { seen.add(refKey(r)); out.push(r); }
  return out;
}

export function refKey(r: ResourceRef): string {
  return r.attribute.length ? `${r.address}.${r.attribute.join('.')}` : r.address;
}

/** Marks of a value derived from several inputs: refs are united, an origin is kept only when one input had one. */
export function combineMarks(...inputs: (Marks | undefined)[]): Marks | undefined {
  let refs: readonly ResourceRef[] | undefined;
  let origin: Origin | undefined;
  let origins = 0;
  for (const m of inputs) {
    if (!m) continue;
    refs = mergeRefs(refs, m.refs);
    if (m.origin) { origins++; origin = m.origin; }
  }
  const keepOrigin = origins === 1 ? origin : undefined;
  if (!refs && !keepOrigin) return undefined;
  return { ...(refs ? { refs } : {}), ...(keepOrigin ? { origin: keepOrigin } : {}) };
}

/** The same value with more marks; an existing origin is kept (the innermost supplier wins). */
export function withMarks<T extends Value>(v: T, extra: Marks | undefined): T {
  if (!extra || (!extra.refs?.length && !extra.origin)) return v;
  const refs = mergeRefs(v.marks?.refs, extra.refs);
  const origin = v.marks?.origin ?? extra.origin;
  return { ...v, marks: { ...(refs ? { refs } : {}), ...(origin ? { origin } : {}) } };
}

/** Every resource reference anywhere inside a value (its own marks and its parts'). */
export function collectRefs(v: Value, out: ResourceRef[] = []): ResourceRef[] {
  if (v.marks?.refs) out.push(...v.marks.refs);
  if (v.kind === 'list') for (const i of v.items) collectRefs(i, out);
  else if (v.kind === 'object') for (const e of v.entries.values()) collectRefs(e, out);
  return out;
}

// ---- equality ----

/** Terraform equality (kinds must match; marks do not count); undefined when an unknown part decides it. */
export function valuesEqual(a: Value, b: Value): boolean | undefined {
  if (a.kind === 'unknown' || b.kind === 'unknown') return undefined;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'null': return true;
    case 'string': case 'number': case 'bool': return a.value === (b as typeof a).value;
    case 'list': {
      const bi = (b as typeof a).items;
      if (a.items.length !== bi.length) return false;
      let result: boolean | undefined = true;
      for (let i = 0; i < bi.length; i++) {
        const eq = valuesEqual(a.items[i], bi[i]);
        if (eq === false) return false;
        if (eq === undefined) result = undefined;
      }
      return result;
    }
    case 'object': {
      const be = (b as typeof a).entries;
      if (a.entries.size !== be.size) return false;
      let result: boolean | undefined = true;
      for (const [k, v] of a.entries) {
        const w = be.get(k);
        if (!w) return false;
        const eq = valuesEqual(v, w);
        if (eq === false) return false;
        if (eq === undefined) result = undefined;
      }
      return result;
    }
  }
}

// ---- conversions between JSON and values ----

/** A value from plain JSON (tfvars in JSON form, plan values); all known. */
export function fromJson(j: unknown, marks?: Marks): Value {
  if (j === null || j === undefined) return marks ? { kind: 'null', marks } : NULL;
  if (typeof j === 'string') return str(j, marks);
  if (typeof j === 'number') return num(j, marks);
  if (typeof j === 'boolean') return bool(j, marks);
  if (Array.isArray(j)) return list(j.map((x) => fromJson(x)), marks);
  if (typeof j === 'object') {
    const m = new Map<string, Value>();
    for (const [k, x] of Object.entries(j as Record<string, unknown>)) m.set(k, fromJson(x));
    return obj(m, marks);
  }
  return unknown(`unsupported JSON value ${String(j)}`, marks);
}

/** Plain JSON for a value; unknown parts become `undefined` entries (callers check isWhollyKnown first). */
export function toJson(v: Value): unknown {
  switch (v.kind) {
    case 'unknown': return undefined;
    case 'null': return null;
    case 'string': case 'number': case 'bool': return v.value;
    case 'list': return v.items.map(toJson);
    case 'object': { const o: Record<string, unknown> = {}; for (const [k, e] of v.entries) o[k] = toJson(e); return o; }
  }
}

/** Short human rendering for messages. */
export function describe(v: Value): string {
  switch (v.kind) {
    case 'unknown': return `(unknown: ${v.reason})`;
    case 'null': return 'null';
    case 'string': return JSON.stringify(v.value);
    case 'number': case 'bool': return String(v.value);
    case 'list': return `[${v.items.map(describe).join(', ')}]`;
    case 'object': return `{${[...v.entries].map(([k, e]) => `${k} = ${describe(e)}`).join(', ')}}`;
  }
}

// ---- reading helpers for rules ----

/** Attribute (or nested block list) of an object value; missing → undefined (absent, not unknown). */
export function getAttr(v: Value | undefined, name: string): Value | undefined {
  if (!v || v.kind !== 'object') return undefined;
  return v.entries.get(name);
}

/** Follow a path of attribute names and list indices. */
export function getPath(v: Value | undefined, path: readonly (string | number)[]): Value | undefined {
  let cur = v;
  for (const step of path) {
    if (!cur) return undefined;
    if (typeof step === 'number') cur = cur.kind === 'list' ? cur.items[step] : undefined;
    else cur = getAttr(cur, step);
  }
  return cur;
}

/** Nested blocks (`vpc_config`, `statement`) as a list of objects, whatever shape they came in. */
export function blocks(v: Value | undefined): ObjectValue[] {
  if (!v) return [];
  if (v.kind === 'object') return [v];
  if (v.kind === 'list') return v.items.filter((i): i is ObjectValue => i.kind === 'object');
  return [];
}

export function asString(v: Value | undefined): string | undefined {
  return v && v.kind === 'string' ? v.value : undefined;
}

/** Strings inside a value that is a string or a list of strings. */
export function stringItems(v: Value | undefined): Value[] {
  if (!v) return [];
  if (v.kind === 'list') return [...v.items];
  return [v];
}
