/**
 * format() and formatlist(): Terraform's printf, which follows Go's fmt for numbers and measures
 * widths of strings in user-perceived characters. Verbs: %% %v %#v %t %b %d %o %x %X %e %E %f
 * %g %G %s %q; flags ` +-0#`; `[n]` argument indexes; width and precision.
 */
import { list, str, type Value } from '../../model/value';
import { jsonEncode, goJsonString } from './encoding';
import {
  asBool, asInt, asNumber, asString, checkSize, decidingUnknown, deepMarks, fn, FnError, graphemes,
  inherit, MANY, propagate, topMarks, UnknownPart, type FnTable,
} from './support';

interface Verb {
  raw: string;
  offset: number;
  arg: number;
  mode: string;
  zero: boolean;
  sharp: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  /** -1 when absent. */
  width: number;
  /** -1 when absent. */
  prec: number;
}

const q = JSON.stringify;

/** Formats `spec` with `args` (all known); throws FnError with Terraform's messages. */
export function sprintf(spec: string, args: readonly Value[]): string {
  let out = '';
  let next = 1;
  let maxUsed = 0;
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (c !== '%') { out += c; i++; continue; }
    if (spec[i + 1] === '%') { out += '%'; i += 2; continue; }
    const start = i++;
    const verb: Verb = { raw: '', offset: start, arg: next, mode: '', zero: false, sharp: false, plus: false, minus: false, space: false, width: -1, prec: -1 };
    for (let more = true; more && i < spec.length; ) {
      switch (spec[i]) {
        case '0': verb.zero = true; i++; break;
        case '#': verb.sharp = true; i++; break;
        case '-': verb.minus = true; i++; break;
        case '+': verb.plus = true; i++; break;
        case ' ': verb.space = true; i++; break;
        default: more = false;
      }
    }
    if (spec[i] === '[') {
      const m = /^\[([1-9]\d*)\]/.exec(spec.slice(i));
      if (!m) throw unrecognized(spec, i + 1);
      verb.arg = Number(m[1]);
      i += m[0].length;
    }
    const w = /^[1-9]\d*/.exec(spec.slice(i));
    if (w) { verb.width = Number(w[0]); i += w[0].length; }
    if (spec[i] === '.') {
      const p = /^\d*/.exec(spec.slice(i + 1))![0];
      verb.prec = p ? Number(p) : 0;
      i += 1 + p.length;
    }
    if (spec[i] === '*') throw new FnError(`width or precision from an argument ("*") is not supported, at offset ${i}`);
    if (i >= spec.length) throw new FnError(`invalid format string starting at offset ${start}`);
    if (!/[A-Za-z]/.test(spec[i])) throw unrecognized(spec, i);
    verb.mode = spec[i++];
    verb.raw = spec.slice(start, i);
    checkSize(Math.max(verb.width, verb.prec), 'format width or precision');
    out += formatOne(verb, args);
    maxUsed = Math.max(maxUsed, verb.arg);
    next = verb.arg + 1;
  }
  if (args.length > maxUsed) {
    throw new FnError(maxUsed === 0 ? 'too many arguments; no verbs in format string' : `too many arguments; only ${maxUsed} used by format string`);
  }
  return out;
}

function unrecognized(spec: string, at: number): FnError {
  const ch = String.fromCodePoint(spec.codePointAt(at) ?? 0x25);
  return new FnError(`unrecognized format character ${q(ch)} at offset ${at}`);
}

function formatOne(verb: Verb, args: readonly Value[]): string {
  if (verb.arg > args.length) {
    throw new FnError(`not enough arguments for ${q(verb.raw)} at ${verb.offset}: need index ${verb.arg} but have ${args.length} total`);
  }
  const arg = args[verb.arg - 1];
  if (arg.kind === 'unknown') throw new UnknownPart(arg);
  if (verb.mode !== 'v' && arg.kind === 'null') {
    throw new FnError(`unsupported value for ${q(verb.raw)} at ${verb.offset}: null value cannot be formatted`);
  }
  try {
    switch (verb.mode) {
      case 'v':
        if (!verb.sharp && arg.kind === 'string') return pad(verb, arg.value);
        if (!verb.sharp && arg.kind === 'number') return pad(verb, formatG(Math.abs(arg.value), arg.value < 0));
        return pad(verb, jsonEncode(arg));
      case 't':
        return asBool(arg, 'value') ? 'true' : 'false';
      case 'b': case 'd': case 'o': case 'x': case 'X':
        return formatInteger(verb, asInt(arg, 'value'));
      case 'e': case 'E': case 'f': case 'g': case 'G':
        return formatFloat(verb, asNumber(arg, 'value'));
      case 's': case 'q': {
        let s = asString(arg, 'value');
        if (verb.prec > 0) s = graphemes(s).slice(0, verb.prec).join('');
        return pad(verb, verb.mode === 'q' ? goJsonString(s) : s);
      }
    }
  } catch (e) {
    if (e instanceof FnError) throw new FnError(`unsupported value for ${q(verb.raw)} at ${verb.offset}: ${e.message}`);
    throw e;
  }
  throw new FnError(`unsupported format verb ${q(verb.mode)} in ${q(verb.raw)} at offset ${verb.offset}`);
}

/** Width padding in user-perceived characters; `0` pads with zeros, `-` pads on the right. */
function pad(verb: Verb, s: string): string {
  const have = graphemes(s).length;
  if (verb.width < 0 || have >= verb.width) return s;
  const fill = (verb.zero ? '0' : ' ').repeat(verb.width - have);
  return verb.minus ? s + fill : fill + s;
}

function signOf(verb: Verb, negative: boolean): string {
  return negative ? '-' : verb.plus ? '+' : verb.space ? ' ' : '';
}

/** Go's integer verbs: precision is a minimum digit count, `0` pads digits after the sign, `#` adds 0b/0/0x. */
function formatInteger(verb: Verb, n: number): string {
  const big = BigInt(n);
  const abs = big < 0n ? -big : big;
  const base = verb.mode === 'b' ? 2 : verb.mode === 'o' ? 8 : verb.mode === 'd' ? 10 : 16;
  let digits = abs.toString(base);
  if (verb.mode === 'X') digits = digits.toUpperCase();
  const sign = signOf(verb, big < 0n);
  if (verb.prec >= 0) {
    digits = verb.prec === 0 && abs === 0n ? '' : digits.padStart(verb.prec, '0');
  } else if (verb.zero && verb.width > 0 && !verb.minus) {
    digits = digits.padStart(verb.width - (sign ? 1 : 0), '0');
  }
  let prefix = '';
  if (verb.sharp) {
    if (verb.mode === 'b') prefix = '0b';
    else if (verb.mode === 'o' && !digits.startsWith('0')) prefix = '0';
    else if (verb.mode === 'x') prefix = '0x';
    else if (verb.mode === 'X') prefix = '0X';
  }
  const s = sign + prefix + digits;
  const fill = ' '.repeat(Math.max(0, verb.width - s.length));
  return verb.minus ? s + fill : fill + s;
}

/** Go's big.Float verbs: %e/%f default to 6 places, %g to the shortest exact form. */
function formatFloat(verb: Verb, n: number): string {
  const x = Math.abs(n);
  const body = Number.isFinite(x) ? floatBody(verb.mode.toLowerCase(), x, verb.prec) : 'Inf';
  const text = verb.mode === 'E' || verb.mode === 'G' ? body.toUpperCase() : body;
  const sign = signOf(verb, n < 0);
  const padding = Math.max(0, verb.width - sign.length - text.length);
  if (verb.zero && Number.isFinite(x)) return sign + '0'.repeat(padding) + text;
  if (verb.minus) return sign + text + ' '.repeat(padding);
  return ' '.repeat(padding) + sign + text;
}

/** A non-negative number as decimal digits: value = 0.mant × 10^exp (mant without trailing zeros; '' is zero). */
interface Decimal { mant: string; exp: number }

/** The exact decimal value of a double (what Go's big.Float rounds from). */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { mant: '', exp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let e = -1074;
  if (expBits !== 0) { mant |= 1n << 52n; e = expBits - 1075; }
  const digits = e >= 0 ? (mant << BigInt(e)).toString() : (mant * 5n ** BigInt(-e)).toString();
  return { mant: digits.replace(/0+$/, ''), exp: e >= 0 ? digits.length : digits.length + e };
}

/** The shortest digits that read back as the same number. */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { mant: '', exp: 0 };
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(x.toExponential())!;
  return { mant: (m[1] + (m[2] ?? '')).replace(/0+$/, ''), exp: Number(m[3]) + 1 };
}

/** Keeps n significant digits, rounding half to even (Go's decimal.round). */
function round(d: Decimal, n: number): Decimal {
  if (n < 0 || n >= d.mant.length) return d;
  const halfway = d.mant[n] === '5' && n + 1 === d.mant.length;
  const up = halfway ? n > 0 && Number(d.mant[n - 1]) % 2 === 1 : d.mant[n] >= '5';
  if (!up) return { mant: d.mant.slice(0, n).replace(/0+$/, ''), exp: d.exp };
  let i = n - 1;
  while (i >= 0 && d.mant[i] === '9') i--;
  if (i < 0) return { mant: '1', exp: d.exp + 1 };
  return { mant: d.mant.slice(0, i) + String(Number(d.mant[i]) + 1), exp: d.exp };
}

function fmtF(d: Decimal, places: number): string {
  const digit = (i: number): string => (i >= 0 && i < d.mant.length ? d.mant[i] : '0');
  let int = '';
  for (let i = 0; i < d.exp; i++) int += digit(i);
  let frac = '';
  for (let i = 0; i < places; i++) frac += digit(d.exp + i);
  return (int || '0') + (places > 0 ? `.${frac}` : '');
}

function fmtE(d: Decimal, places: number): string {
  const frac = (d.mant.slice(1) + '0'.repeat(places)).slice(0, places);
  const e = d.mant ? d.exp - 1 : 0;
  return `${d.mant[0] ?? '0'}${places > 0 ? `.${frac}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Go's big.Float text for %e, %f and %g (also %v of numbers: %g, shortest). */
function floatBody(mode: string, x: number, prec: number): string {
  if (mode === 'e') { const p = prec < 0 ? 6 : prec; return fmtE(round(exactDecimal(x), 1 + p), p); }
  if (mode === 'f') { const p = prec < 0 ? 6 : prec; const d = exactDecimal(x); return fmtF(round(d, d.exp + p), p); }
  const shortest = prec < 0;
  let p = prec === 0 ? 1 : prec;
  const d = shortest ? shortestDecimal(x) : round(exactDecimal(x), p);
  if (shortest) p = d.mant.length;
  let eprec = p;
  if (eprec > d.mant.length && d.mant.length >= d.exp) eprec = d.mant.length;
  if (shortest) eprec = 6;
  const exp = d.exp - 1;
  if (exp < -4 || exp >= eprec) return fmtE(d, Math.min(p, d.mant.length) - 1);
  if (p > d.exp) p = d.mant.length;
  return fmtF(d, Math.max(p - d.exp, 0));
}

export function formatG(x: number, negative: boolean): string {
  if (!Number.isFinite(x)) return negative ? '-Inf' : '+Inf';
  return (negative ? '-' : '') + floatBody('g', x, -1);
}

export const formatFunctions: FnTable = {
  format: fn(1, MANY, (args) => str(sprintf(asString(args[0], 'format'), args.slice(1)), deepMarks(...args))),

  /** Lists are iterated in step (all must have the same length); other arguments repeat. */
  formatlist: fn(1, MANY, (args) => {
    const spec = args[0];
    if (spec.kind === 'unknown') throw new UnknownPart(spec);
    const format = asString(spec, 'format');
    const rest = args.slice(1);
    let n = -1;
    let chooser = -1;
    rest.forEach((a, i) => {
      if (a.kind === 'unknown') throw new UnknownPart(a);
      if (a.kind !== 'list') return;
      if (n === -1) { n = a.items.length; chooser = i; } else if (a.items.length !== n) {
        throw new FnError(`argument ${i + 1} has length ${a.items.length}, which is inconsistent with argument ${chooser + 1} of length ${n}`);
      }
    });
    const marks = topMarks(...args);
    if (n === 0) return list([], marks);
    const out: Value[] = [];
    for (let it = 0; it < Math.max(n, 1); it++) {
      const callArgs = rest.map((a) => (a.kind === 'list' ? inherit(a.items[it], a) : a));
      const u = decidingUnknown(callArgs, true);
      if (u) { out.push(propagate(u, deepMarks(spec, ...callArgs))); continue; }
      try {
        out.push(str(sprintf(format, callArgs), deepMarks(spec, ...callArgs)));
      } catch (e) {
        if (e instanceof FnError) throw new FnError(`error on format iteration ${it}: ${e.message}`);
        throw e;
      }
    }
    return list(out, marks);
  }, 'self'),
};
