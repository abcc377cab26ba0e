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
        if (!verb.sharp && arg.kind === 'number') return pad(verb, formatG(Math.abs(arg.value), -1, arg.value < 0));
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
  const prec = verb.prec;
  let body: string;
  if (!Number.isFinite(x)) body = 'Inf';
  else if (verb.mode === 'e' || verb.mode === 'E') body = fixExponent(x.toExponential(Math.min(prec < 0 ? 6 : prec, 100)));
  else if (verb.mode === 'f') body = toFixed(x, prec < 0 ? 6 : prec);
  else body = formatG(x, prec, false);
  if (verb.mode === 'E' || verb.mode === 'G') body = body.toUpperCase();
  const sign = signOf(verb, n < 0);
  const padding = Math.max(0, verb.width - sign.length - body.length);
  if (verb.zero && Number.isFinite(x)) return sign + '0'.repeat(padding) + body;
  if (verb.minus) return sign + body + ' '.repeat(padding);
  return ' '.repeat(padding) + sign + body;
}

function fixExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function toFixed(x: number, places: number): string {
  if (x < 1e21 && places <= 100) return x.toFixed(places);
  return fixedFromDigits(decimalDigits(x), places);
}

/** x > 0 as 0.mant × 10^exp, with `sig` significant digits (shortest exact form when omitted). */
interface Decimal { mant: string; exp: number }
function decimalDigits(x: number, sig?: number): Decimal {
  const s = sig === undefined ? x.toExponential() : x.toExponential(Math.min(Math.max(sig - 1, 0), 100));
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s)!;
  const mant = (m[1] + (m[2] ?? '')).replace(/0+$/, '') || '0';
  return { mant, exp: Number(m[3]) + 1 };
}

function fixedFromDigits(d: Decimal, places: number): string {
  const digit = (i: number): string => (i >= 0 && i < d.mant.length ? d.mant[i] : '0');
  let int = '';
  for (let i = 0; i < d.exp; i++) int += digit(i);
  let frac = '';
  for (let i = 0; i < places; i++) frac += digit(d.exp + i);
  return (int || '0') + (places > 0 ? `.${frac}` : '');
}

function exponentFromDigits(d: Decimal, places: number): string {
  const frac = (d.mant.slice(1) + '0'.repeat(places)).slice(0, places);
  const e = d.exp - 1;
  return `${d.mant[0]}${places > 0 ? `.${frac}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** Go's %g (also %v for numbers): exponent form for exponents < -4 or ≥ the precision (6 when shortest). */
export function formatG(x: number, prec: number, negative: boolean): string {
  const sign = negative ? '-' : '';
  if (x === 0) return `${sign}0`;
  if (!Number.isFinite(x)) return `${negative ? '-' : '+'}Inf`;
  const shortest = prec < 0;
  let p = prec === 0 ? 1 : prec;
  const d = decimalDigits(x, shortest ? undefined : p);
  if (shortest) p = d.mant.length;
  let eprec = p;
  if (eprec > d.mant.length && d.mant.length >= d.exp) eprec = d.mant.length;
  if (shortest) eprec = 6;
  const exp = d.exp - 1;
  if (exp < -4 || exp >= eprec) return sign + exponentFromDigits(d, Math.min(p, d.mant.length) - 1);
  if (p > d.exp) p = d.mant.length;
  return sign + fixedFromDigits(d, Math.max(p - d.exp, 0));
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
