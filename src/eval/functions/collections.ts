/**
 * Collection functions (lists, tuples, sets, maps, objects). Items moved into a result keep
 * their own marks plus the refs of the container they came from; a result is Unknown only
 * when what it depends on is (length() of a list with unknown items is known).
 */
import {
  bool, list, NULL, num, obj, str, unknown, type ListValue, type ObjectValue, type UnknownValue, type Value,
} from '../../model/value';
import {
  asBool, asInt, asList, asNumber, asObject, asString, compareStrings, decidingUnknown, deepMarks,
  fn, FnError, graphemes, inherit, itemsOf, known, MANY, sortedKeys, topMarks,
  UnknownPart, valueKey, withRefsOf, type FnTable,
} from './support';
import { valuesEqual } from '../../model/value';

/** The attributes a whole resource object may still gain at apply time (its refs name no attribute). */
function wholeResourceAddress(o: ObjectValue): string | undefined {
  return o.marks?.refs?.find((r) => r.attribute.length === 0)?.address;
}

function lookup(args: readonly Value[]): Value {
  const [m, k, dflt] = args;
  const key = asString(known(k), 'key');
  const o = asObject(known(m), 'inputMap');
  const hit = o.entries.get(key);
  if (hit) return withRefsOf(hit, o.marks, deepMarks(k));
  const address = wholeResourceAddress(o);
  if (address) return unknown(`${address}.${key} (known after apply)`, { refs: [{ address, attribute: [key] }] });
  if (dflt) return withRefsOf(dflt, o.marks, deepMarks(k));
  throw new FnError(`lookup failed to find key ${JSON.stringify(key)}`);
}

function coalesce(args: readonly Value[]): Value {
  const kinds = new Set(args.filter((a) => a.kind === 'string' || a.kind === 'number' || a.kind === 'bool').map((a) => a.kind));
  const asStrings = kinds.size > 1;
  for (const a of args) {
    if (a.kind === 'unknown') throw new UnknownPart(a);
    if (a.kind === 'null' || (a.kind === 'string' && a.value === '')) continue;
    if (asStrings && (a.kind === 'number' || a.kind === 'bool')) return str(asString(a), a.marks);
    return a;
  }
  throw new FnError('no non-null, non-empty-string arguments');
}

function contains(args: readonly Value[]): Value {
  const l = asList(known(args[0]), 'list');
  const marks = deepMarks(...args);
  if (l.items.length === 0) return bool(false, marks);
  const needle = args[1];
  const u = decidingUnknown([needle], true);
  if (u) throw new UnknownPart(u);
  let undecided: UnknownValue | undefined;
  for (const item of l.items) {
    const eq = valuesEqual(needle, item);
    if (eq === true) return bool(true, marks);
    if (eq === undefined) undecided ??= decidingUnknown([item], true);
  }
  if (undecided) throw new UnknownPart(undecided);
  return bool(false, marks);
}

function flattenInto(l: ListValue, out: Value[]): void {
  for (const item of itemsOf(l)) {
    // An unknown item might itself be a list, so the result's length is unknown.
    if (item.kind === 'unknown') throw new UnknownPart(item);
    if (item.kind === 'list') flattenInto(item, out);
    else out.push(item);
  }
}

function slice(args: readonly Value[]): Value {
  const l = asList(args[0], 'list');
  const start = asInt(known(args[1]), 'start index');
  const end = asInt(known(args[2]), 'end index');
  if (start < 0) throw new FnError('start index must not be less than zero');
  if (end > l.items.length) throw new FnError('end index must not be greater than the length of the list');
  if (start > end) throw new FnError('start index must not be greater than end index');
  return list(itemsOf(l).slice(start, end), l.marks);
}

/** range(limit) / range(start, limit) / range(start, limit, step), at most 1024 elements. */
function range(args: readonly Value[]): Value {
  const nums = args.map((a, i) => asNumber(a, ['start', 'limit', 'step'][args.length === 1 ? 1 : i]));
  const [start, limit] = nums.length === 1 ? [0, nums[0]] : [nums[0], nums[1]];
  const step = nums.length === 3 ? nums[2] : limit < start ? -1 : 1;
  if (step === 0) throw new FnError('step must not be zero');
  if (start < limit && step < 0) throw new FnError('step must be positive when start is less than limit');
  if (start > limit && step > 0) throw new FnError('step must be negative when start is greater than limit');
  const out: Value[] = [];
  const marks = deepMarks(...args);
  for (let v = start; step > 0 ? v < limit : v > limit; v += step) {
    if (out.length >= 1024) throw new FnError('more than 1024 values were generated; either decrease the difference between start and limit or use a smaller step');
    out.push(num(v, marks));
  }
  return list(out, marks);
}

/** alltrue / anytrue: a decisive known item wins even when others are unknown. */
function boolFold(args: readonly Value[], decisive: boolean): Value {
  const l = asList(args[0], 'list');
  let undecided: UnknownValue | undefined;
  for (const item of l.items) {
    if (item.kind === 'unknown') { undecided ??= item; continue; }
    const b = item.kind === 'null' ? false : asBool(item, 'element');
    if (b === decisive) return bool(decisive, deepMarks(l));
  }
  if (undecided) throw new UnknownPart(undecided);
  return bool(!decisive, deepMarks(l));
}

function chunklist(args: readonly Value[]): Value {
  const l = asList(args[0], 'list');
  const size = asInt(known(args[1]), 'size');
  if (size < 0) throw new FnError('the size argument must be positive');
  const items = itemsOf(l);
  if (items.length === 0) return list([], l.marks);
  if (size === 0) return list([list(items, l.marks)], l.marks);
  const out: Value[] = [];
  for (let i = 0; i < items.length; i += size) out.push(list(items.slice(i, i + size), l.marks));
  return list(out, l.marks);
}

function zipmap(args: readonly Value[]): Value {
  const u = decidingUnknown([args[0]], true);
  if (u) throw new UnknownPart(u);
  const keys = asList(args[0], 'keys').items.map((k, i) => asString(k, `key ${i}`));
  const values = asList(known(args[1]), 'values');
  if (keys.length !== values.items.length) {
    throw new FnError(`number of keys (${keys.length}) does not match number of values (${values.items.length})`);
  }
  const items = itemsOf(values);
  return obj(new Map(keys.map((k, i) => [k, items[i]])), topMarks(...args));
}

/** A map of lists of strings turned inside out: each string becomes a key listing the keys it was under. */
function transpose(args: readonly Value[]): Value {
  const o = asObject(args[0], 'argument');
  const out = new Map<string, string[]>();
  for (const k of sortedKeys(o)) {
    for (const item of asList(o.entries.get(k)!, `value of ${JSON.stringify(k)}`).items) {
      const v = asString(item, `element of ${JSON.stringify(k)}`);
      if (!out.has(v)) out.set(v, []);
      out.get(v)!.push(k);
    }
  }
  const marks = deepMarks(o);
  const keys = [...out.keys()].sort(compareStrings);
  return obj(new Map(keys.map((k) => [k, list(out.get(k)!.map((x) => str(x)), marks)])), marks);
}

function matchkeys(args: readonly Value[]): Value {
  const u = decidingUnknown([args[1], args[2]], true);
  if (u) throw new UnknownPart(u);
  const values = asList(known(args[0]), 'values');
  const keys = asList(args[1], 'keys').items;
  const search = asList(args[2], 'searchset').items;
  if (keys.length !== values.items.length) throw new FnError('length of keys and values should be equal');
  const items = itemsOf(values);
  const out = items.filter((_, i) => search.some((s) => valuesEqual(s, keys[i]) === true));
  return list(out, topMarks(...args));
}

export const collectionFunctions: FnTable = {
  length: fn(1, 1, ([v]) => {
    const c = known(v);
    if (c.kind === 'string') return num(graphemes(c.value).length, c.marks);
    if (c.kind === 'list') return num(c.items.length, c.marks);
    if (c.kind === 'object') return num(c.entries.size, c.marks);
    if (c.kind === 'null') throw new FnError('argument must not be null');
    throw new FnError(`argument must be a string, a collection type, or a structural type, not a ${c.kind}`);
  }, 'self'),
  lookup: fn(2, 3, lookup, 'self'),
  merge: fn(0, MANY, (args) => {
    const out = new Map<string, Value>();
    for (const a of args) {
      if (a.kind === 'null') continue;
      const o = asObject(a, 'argument');
      for (const [k, v] of o.entries) out.set(k, inherit(v, o));
    }
    return obj(out, topMarks(...args));
  }, 'shallow'),
  concat: fn(0, MANY, (args) => list(args.flatMap((a, i) => itemsOf(asList(a, `argument ${i + 1}`))), topMarks(...args)), 'shallow'),
  coalesce: fn(1, MANY, coalesce, 'self'),
  coalescelist: fn(1, MANY, (args) => {
    for (const a of args) {
      if (a.kind === 'unknown') throw new UnknownPart(a);
      if (a.kind === 'null') continue;
      if (asList(a, 'argument').items.length > 0) return a;
    }
    throw new FnError('no non-null arguments');
  }, 'self'),
  element: fn(2, 2, (args) => {
    const index = asInt(known(args[1]), 'index');
    if (index < 0) throw new FnError('cannot use element function with a negative index');
    const l = asList(known(args[0]), 'list');
    if (l.items.length === 0) throw new FnError('cannot use element function with an empty list');
    return withRefsOf(l.items[index % l.items.length], l.marks, deepMarks(args[1]));
  }, 'self'),
  index: fn(2, 2, (args) => {
    const l = asList(args[0], 'list');
    const at = l.items.findIndex((i) => valuesEqual(i, args[1]) === true);
    if (at < 0) throw new FnError('item not found');
    return num(at, deepMarks(...args));
  }),
  contains: fn(2, 2, contains, 'self'),
  keys: fn(1, 1, ([v]) => {
    const o = asObject(v, 'inputMap');
    return list(sortedKeys(o).map((k) => str(k, o.marks)), o.marks);
  }, 'shallow'),
  values: fn(1, 1, ([v]) => {
    const o = asObject(v, 'mapping');
    return list(sortedKeys(o).map((k) => inherit(o.entries.get(k)!, o)), o.marks);
  }, 'shallow'),
  flatten: fn(1, 1, ([v]) => {
    const l = asList(v, 'list');
    const out: Value[] = [];
    flattenInto(l, out);
    return list(out, l.marks);
  }, 'shallow'),
  distinct: fn(1, 1, ([v]) => {
    const l = asList(v, 'list');
    const seen = new Set<string>();
    return list(itemsOf(l).filter((i) => { const k = valueKey(i)!; if (seen.has(k)) return false; seen.add(k); return true; }), l.marks);
  }),
  compact: fn(1, 1, ([v]) => {
    const l = asList(v, 'list');
    const out: Value[] = [];
    for (const i of itemsOf(l)) {
      if (i.kind === 'null') continue;
      const s = asString(i, 'element');
      if (s !== '') out.push(i.kind === 'string' ? i : str(s, i.marks));
    }
    return list(out, l.marks);
  }),
  zipmap: fn(2, 2, zipmap, 'self'),
  slice: fn(3, 3, slice, 'shallow'),
  reverse: fn(1, 1, ([v]) => { const l = asList(v, 'list'); return list(itemsOf(l).reverse(), l.marks); }, 'shallow'),
  /** Lexical order of the elements' string forms (numbers sort as strings, as in Terraform). */
  sort: fn(1, 1, ([v]) => {
    const l = asList(v, 'list');
    const items = itemsOf(l).map((i) => ({ s: asString(i, 'element'), i }));
    items.sort((a, b) => compareStrings(a.s, b.s));
    return list(items.map(({ s, i }) => str(s, i.marks)), l.marks);
  }),
  range: fn(1, 3, range),
  one: fn(1, 1, ([v]) => {
    const l = asList(v, 'list');
    if (l.items.length === 0) return l.marks ? { kind: 'null', marks: l.marks } : NULL;
    if (l.items.length > 1) throw new FnError('must be a list, set, or tuple value with either zero or one elements');
    return inherit(l.items[0], l);
  }, 'shallow'),
  alltrue: fn(1, 1, (args) => boolFold(args, false), 'shallow'),
  anytrue: fn(1, 1, (args) => boolFold(args, true), 'shallow'),
  chunklist: fn(2, 2, chunklist, 'shallow'),
  transpose: fn(1, 1, transpose),
  matchkeys: fn(3, 3, matchkeys, 'self'),
  sum: fn(1, 1, ([v]) => {
    const l = asList(v, 'list');
    if (l.items.length === 0) throw new FnError('cannot sum an empty list');
    const total = l.items.reduce((acc, i, k) => acc + asNumber(i, `element ${k}`), 0);
    return num(total, deepMarks(l));
  }),
};

