/**
 * Set functions. Sets are lists here; a set result is deduplicated and ordered as Terraform
 * orders sets (strings by bytes, numbers ascending), and its elements keep their marks.
 */
import { list, type Value } from '../../model/value';
import {
  asList, checkSize, fn, FnError, itemsOf, MANY, setElements, topMarks, valueKey, type FnTable,
} from './support';

function keysOf(v: Value, what: string): Set<string | undefined> {
  return new Set(asList(v, what).items.map(valueKey));
}

function cartesian(sets: readonly Value[][]): Value[][] {
  let out: Value[][] = [[]];
  for (const s of sets) {
    checkSize(out.length * s.length, 'setproduct() result');
    out = out.flatMap((prefix) => s.map((item) => [...prefix, item]));
  }
  return out;
}

export const setFunctions: FnTable = {
  toset: fn(1, 1, ([v]) => (v.kind === 'null' ? v : list(setElements(asList(v).items), v.marks)), 'shallow'),
  setunion: fn(1, MANY, (args) => {
    const items = args.flatMap((a, i) => itemsOf(asList(a, `argument ${i + 1}`)));
    return list(setElements(items), topMarks(...args));
  }),
  setintersection: fn(1, MANY, (args) => {
    const others = args.slice(1).map((a, i) => keysOf(a, `argument ${i + 2}`));
    const items = itemsOf(asList(args[0], 'argument 1')).filter((i) => others.every((o) => o.has(valueKey(i))));
    return list(setElements(items), topMarks(...args));
  }),
  setsubtract: fn(2, 2, (args) => {
    const remove = keysOf(args[1], 'argument 2');
    const items = itemsOf(asList(args[0], 'argument 1')).filter((i) => !remove.has(valueKey(i)));
    return list(setElements(items), topMarks(...args));
  }),
  /** Every combination of one element from each argument, in argument order. */
  setproduct: fn(1, MANY, (args) => {
    if (args.length < 2) throw new FnError('at least two arguments are required');
    const sets = args.map((a, i) => itemsOf(asList(a, `argument ${i + 1}`)));
    const marks = topMarks(...args);
    return list(cartesian(sets).map((combo) => list(combo, marks)), marks);
  }, 'shallow'),
};
