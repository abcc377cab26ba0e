/** Numeric functions, computed in double precision (Terraform uses arbitrary precision; integers agree). */
import { num } from '../../model/value';
import { asInt, asNumber, asString, deepMarks, fn, FnError, MANY, type FnTable } from './support';

function map1(f: (n: number) => number) {
  return fn(1, 1, (args) => num(f(asNumber(args[0])), deepMarks(...args)));
}

/** Go's big.Int digit values: base ≤ 36 is case-insensitive; above that, upper case counts from 36. */
function digitValue(ch: string, base: number): number {
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 97 + 10;
  if (c >= 65 && c <= 90) return base <= 36 ? c - 65 + 10 : c - 65 + 36;
  return 99;
}

function parseInt2to62(s: string, base: number): number {
  if (base < 2 || base > 62) throw new FnError('base must be a whole number between 2 and 62 inclusive');
  const m = /^([+-]?)(.+)$/.exec(s);
  let total = 0n;
  for (const ch of m ? m[2] : '') {
    const d = digitValue(ch, base);
    if (d >= base) throw new FnError(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
    total = total * BigInt(base) + BigInt(d);
  }
  if (!m) throw new FnError(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`);
  return Number(m[1] === '-' ? -total : total);
}

export const numberFunctions: FnTable = {
  abs: map1(Math.abs),
  ceil: map1(Math.ceil),
  floor: map1(Math.floor),
  signum: map1((n) => (n > 0 ? 1 : n < 0 ? -1 : 0)),
  pow: fn(2, 2, (args) => num(Math.pow(asNumber(args[0], 'base'), asNumber(args[1], 'exponent')), deepMarks(...args))),
  log: fn(2, 2, (args) => num(Math.log(asNumber(args[0], 'number')) / Math.log(asNumber(args[1], 'base')), deepMarks(...args))),
  min: fn(1, MANY, (args) => num(Math.min(...args.map((a) => asNumber(a))), deepMarks(...args))),
  max: fn(1, MANY, (args) => num(Math.max(...args.map((a) => asNumber(a))), deepMarks(...args))),
  parseint: fn(2, 2, (args) => num(parseInt2to62(asString(args[0], 'number'), asInt(args[1], 'base')), deepMarks(...args))),
};
