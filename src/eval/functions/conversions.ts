/**
 * Type conversion functions and the sensitivity helpers. A conversion that changes nothing
 * returns its argument as it is, marks included.
 */
import { list, obj, str, unknown, type Value } from '../../model/value';
import {
  asList, deepMarks, fn, FnError, kindName, numToString, parseNumber, unifyScalars, type FnTable,
} from './support';

function cannot(v: Value, to: string): FnError {
  return new FnError(`cannot convert ${v.kind === 'string' ? JSON.stringify(v.value) : kindName(v)} to ${to}`);
}

const identity = fn(1, 1, ([v]) => v, 'self');

export const conversionFunctions: FnTable = {
  tostring: fn(1, 1, ([v]) => {
    if (v.kind === 'string' || v.kind === 'null') return v;
    if (v.kind === 'number') return str(numToString(v.value), v.marks);
    if (v.kind === 'bool') return str(String(v.value), v.marks);
    throw cannot(v, 'string');
  }, 'shallow'),
  tonumber: fn(1, 1, ([v]) => {
    if (v.kind === 'number' || v.kind === 'null') return v;
    if (v.kind === 'string') {
      const n = parseNumber(v.value);
      if (n !== undefined) return { kind: 'number', value: n, ...(v.marks ? { marks: v.marks } : {}) };
    }
    throw cannot(v, 'number');
  }, 'shallow'),
  tobool: fn(1, 1, ([v]) => {
    if (v.kind === 'bool' || v.kind === 'null') return v;
    if (v.kind === 'string' && (v.value === 'true' || v.value === 'false')) return { kind: 'bool', value: v.value === 'true', ...(v.marks ? { marks: v.marks } : {}) };
    throw cannot(v, 'bool');
  }, 'shallow'),
  /** Mixed element types are unified (numbers and bools become strings when strings are present). */
  tolist: fn(1, 1, ([v]) => (v.kind === 'null' ? v : list(unifyScalars(asList(v).items), v.marks)), 'shallow'),
  tomap: fn(1, 1, ([v]) => {
    if (v.kind === 'null') return v;
    if (v.kind !== 'object') throw cannot(v, 'map');
    const keys = [...v.entries.keys()];
    const values = unifyScalars([...v.entries.values()]);
    return obj(new Map(keys.map((k, i) => [k, values[i]])), v.marks);
  }, 'shallow'),
  // This evaluator does not track sensitivity, so these pass values through unchanged.
  sensitive: identity,
  nonsensitive: identity,
  ephemeralasnull: identity,
  issensitive: fn(1, 1, (args) => unknown('issensitive() (sensitivity is not tracked)', deepMarks(...args)), 'self'),
  type: fn(1, 1, (args) => unknown('type() (only meaningful in terraform console)', deepMarks(...args)), 'self'),
};
