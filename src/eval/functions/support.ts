/**
 * What every built-in function shares: the calling context, the shape of a function table,
 * Terraform's automatic argument conversions, value equality, and marks bookkeeping.
 * Implementations throw FnError for input Terraform would reject; the dispatcher turns it into
 * an invalid value, so no caller ever sees an exception.
 */
import {
  combineMarks, invalid, str, unknown, valuesEqual, withMarks,
  type ListValue, type Marks, type ObjectValue, type Origin, type UnknownValue, type Value,
} from '../../model/value';

export interface FunctionContext {
  /** Where relative paths of file(), templatefile(), fileexists() start: the root module's directory,
   *  where Terraform runs (`path.module` is relative to it). */
  readonly baseDir: string;
  /** Reads a file (relative paths already resolved against baseDir); undefined when unreadable. */
  readFile(absPath: string): string | undefined;
  /** Renders a Terraform template string with the given variables (the evaluator supplies this). */
  renderTemplate(template: string, vars: Value, origin: string): Value;
}

/** Input Terraform would reject: becomes `invalid("name(): message")`. */
export class FnError extends Error {}

/** An implementation met an unknown part it cannot decide without: the whole call is unknown. */
export class UnknownPart extends Error {
  constructor(readonly value: UnknownValue) { super(value.reason); }
}

export type Impl = (args: readonly Value[], ctx: FunctionContext) => Value;

/**
 * How a function treats unknown arguments before its implementation runs:
 * 'deep' — any unknown anywhere in any argument makes the result unknown (Terraform's default);
 * 'shallow' — only an argument that is itself unknown does (items of lists/maps may stay unknown);
 * 'self' — the implementation decides (coalesce, lookup, contains, …).
 */
export type UnknownPolicy = 'deep' | 'shallow' | 'self';

export interface FnSpec {
  readonly min: number;
  readonly max: number;
  readonly unknowns: UnknownPolicy;
  readonly impl: Impl;
}
export type FnTable = Readonly<Record<string, FnSpec>>;

export function fn(min: number, max: number, impl: Impl, unknowns: UnknownPolicy = 'deep'): FnSpec {
  return { min, max, unknowns, impl };
}
export const MANY = Number.POSITIVE_INFINITY;

// ---------- marks ----------

/**
 * combineMarks over many marks, treating the same origin object seen twice as one origin
 * (two literals of one attribute share their origin; that should not erase it).
 */
export function mergeMarks(all: readonly (Marks | undefined)[]): Marks | undefined {
  const seen = new Set<Origin>();
  const cleaned: Marks[] = [];
  for (const m of all) {
    if (!m) continue;
    if (m.origin && seen.has(m.origin)) { if (m.refs?.length) cleaned.push({ refs: m.refs }); continue; }
    if (m.origin) seen.add(m.origin);
    cleaned.push(m);
  }
  return cleaned.length ? combineMarks(...cleaned) : undefined;
}

/** Marks of the values and of every part inside them: for results derived from all of it. */
export function deepMarks(...vals: readonly Value[]): Marks | undefined {
  const all: Marks[] = [];
  const walk = (v: Value): void => {
    if (v.marks) all.push(v.marks);
    if (v.kind === 'list') v.items.forEach(walk);
    else if (v.kind === 'object') v.entries.forEach(walk);
  };
  vals.forEach(walk);
  return mergeMarks(all);
}

/** Marks of the values themselves (not their items): for containers built from containers. */
export function topMarks(...vals: readonly Value[]): Marks | undefined {
  return mergeMarks(vals.map((v) => v.marks));
}

/** An item taken out of a container keeps the container's refs (its own origin stays), as in the evaluator. */
export function inherit(item: Value, container: Value): Value {
  return container.marks?.refs?.length ? withMarks(item, { refs: container.marks.refs }) : item;
}

/** The item with the refs of other marks added (a looked-up value also depends on its container and key). */
export function withRefsOf(item: Value, ...sources: (Marks | undefined)[]): Value {
  const refs = mergeMarks(sources)?.refs;
  return refs?.length ? withMarks(item, { refs }) : item;
}

/** Items of a list, each carrying the list's refs. */
export function itemsOf(v: ListValue): Value[] {
  return v.items.map((i) => inherit(i, v));
}

/** An unknown standing for a result that depends on `u`: same reason, invalid stays invalid. */
export function propagate(u: UnknownValue, marks: Marks | undefined): UnknownValue {
  return u.invalid ? invalid(u.reason, marks) : unknown(u.reason, marks);
}

/** The unknown that decides a call: an invalid one first (Terraform would fail), else the first one. */
export function decidingUnknown(args: readonly Value[], deep: boolean): UnknownValue | undefined {
  let first: UnknownValue | undefined;
  const visit = (v: Value): UnknownValue | undefined => {
    if (v.kind === 'unknown') { if (v.invalid) return v; first ??= v; return undefined; }
    if (!deep) return undefined;
    if (v.kind === 'list') for (const i of v.items) { const u = visit(i); if (u) return u; }
    if (v.kind === 'object') for (const e of v.entries.values()) { const u = visit(e); if (u) return u; }
    return undefined;
  };
  for (const a of args) { const u = visit(a); if (u) return u; }
  return first;
}

// ---------- conversions (Terraform's automatic ones) ----------

export function kindName(v: Value): string {
  return v.kind === 'object' ? 'object' : v.kind === 'list' ? 'list' : v.kind;
}

function reject(v: Value, what: string, wanted: string): never {
  if (v.kind === 'unknown') throw new UnknownPart(v);
  if (v.kind === 'null') throw new FnError(`${what} must not be null`);
  throw new FnError(`${what} must be ${wanted}, not a ${kindName(v)}`);
}

/** Terraform's number-to-string: integers without `.0`, no exponent. */
export function numToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (Object.is(n, -0)) return '0';
  const s = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const point = Number(m[4]) + 1;
  if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return m[1] + digits + '0'.repeat(point - digits.length);
  return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function asString(v: Value, what = 'argument'): string {
  switch (v.kind) {
    case 'string': return v.value;
    case 'number': return numToString(v.value);
    case 'bool': return String(v.value);
    default: return reject(v, what, 'a string');
  }
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A string as Terraform parses it into a number; undefined when it is not one. */
export function parseNumber(s: string): number | undefined {
  return DECIMAL.test(s) ? Number(s) : undefined;
}

export function asNumber(v: Value, what = 'argument'): number {
  if (v.kind === 'number') return v.value;
  if (v.kind === 'string') {
    const n = parseNumber(v.value);
    if (n === undefined) throw new FnError(`${what} must be a number, not ${JSON.stringify(v.value)}`);
    return n;
  }
  return reject(v, what, 'a number');
}

export function asInt(v: Value, what = 'argument'): number {
  const n = asNumber(v, what);
  if (!Number.isInteger(n)) throw new FnError(`${what} must be a whole number, not ${numToString(n)}`);
  return n;
}

export function asBool(v: Value, what = 'argument'): boolean {
  if (v.kind === 'bool') return v.value;
  if (v.kind === 'string' && (v.value === 'true' || v.value === 'false')) return v.value === 'true';
  if (v.kind === 'string') throw new FnError(`${what} must be a bool, not ${JSON.stringify(v.value)}`);
  return reject(v, what, 'a bool');
}

export function asList(v: Value, what = 'argument'): ListValue {
  if (v.kind === 'list') return v;
  return reject(v, what, 'a list, set or tuple');
}

export function asObject(v: Value, what = 'argument'): ObjectValue {
  if (v.kind === 'object') return v;
  return reject(v, what, 'a map or object');
}

/** A value that must be known for the implementation to go on (items of 'shallow' arguments). */
export function known<T extends Value>(v: T): Exclude<T, UnknownValue> {
  if (v.kind === 'unknown') throw new UnknownPart(v);
  return v as Exclude<T, UnknownValue>;
}

// ---------- equality, identity, ordering ----------


/** A string identifying a wholly known value up to equality (for dedupe); undefined if unknown inside. */
export function valueKey(v: Value): string | undefined {
  switch (v.kind) {
    case 'unknown': return undefined;
    case 'null': return 'null';
    case 'string': return `s${JSON.stringify(v.value)}`;
    case 'number': return `n${v.value}`;
    case 'bool': return `b${v.value}`;
    case 'list': {
      const parts: string[] = [];
      for (const i of v.items) { const k = valueKey(i); if (k === undefined) return undefined; parts.push(k); }
      return `[${parts.join(',')}]`;
    }
    case 'object': {
      const parts: string[] = [];
      for (const k of sortedKeys(v)) { const e = valueKey(v.entries.get(k)!); if (e === undefined) return undefined; parts.push(`${JSON.stringify(k)}:${e}`); }
      return `{${parts.join(',')}}`;
    }
  }
}

/** Go's string order (bytes of UTF-8, i.e. code points), which Terraform uses for keys and sets. */
export function compareStrings(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sortedKeys(o: ObjectValue): string[] {
  return [...o.entries.keys()].sort(compareStrings);
}

/**
 * Terraform's type unification for the elements of one collection: when strings, numbers and
 * bools are mixed, they all become strings (each keeps its marks).
 */
export function unifyScalars(items: readonly Value[]): Value[] {
  const kinds = new Set(items.filter((i) => i.kind === 'string' || i.kind === 'number' || i.kind === 'bool').map((i) => i.kind));
  if (kinds.size < 2) return [...items];
  return items.map((i) => (i.kind === 'number' || i.kind === 'bool' ? str(asString(i), i.marks) : i));
}

/**
 * Elements as a Terraform set holds them: unified, duplicates dropped (first kept), strings in
 * byte order and numbers ascending; unknown elements cannot be compared and stay at the end.
 */
export function setElements(items: readonly Value[]): Value[] {
  const seen = new Set<string>();
  const knownItems: Value[] = [];
  const unknownItems: Value[] = [];
  for (const i of unifyScalars(items)) {
    const k = valueKey(i);
    if (k === undefined) { unknownItems.push(i); continue; }
    if (seen.has(k)) continue;
    seen.add(k);
    knownItems.push(i);
  }
  if (knownItems.every((i) => i.kind === 'string')) knownItems.sort((a, b) => compareStrings((a as { value: string }).value, (b as { value: string }).value));
  else if (knownItems.every((i) => i.kind === 'number')) knownItems.sort((a, b) => (a as { value: number }).value - (b as { value: number }).value);
  return [...knownItems, ...unknownItems];
}

// ---------- text ----------

const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;

/** User-perceived characters (grapheme clusters), which Terraform counts in length() and substr(). */
export function graphemes(s: string): string[] {
  return segmenter ? Array.from(segmenter.segment(s), (x) => x.segment) : Array.from(s);
}

/** Guards against specifications that would build enormous strings or lists. */
export const SIZE_LIMIT = 1_000_000;
export function checkSize(n: number, what: string): void {
  if (n > SIZE_LIMIT) throw new FnError(`${what} is too large (${n})`);
}
