/**
 * String functions. Each result carries the marks of the inputs it was computed from; lengths
 * and offsets count user-perceived characters, as Terraform does.
 */
import { bool, list, str } from '../../model/value';
import { regexMatch, regexMatchAll, replaceAll } from './regex';
import {
  asInt, asList, asString, checkSize, deepMarks, fn, FnError, graphemes, MANY, type FnTable,
} from './support';

/** A string-to-string function of its first argument. */
function map1(f: (s: string) => string) {
  return fn(1, 1, (args) => str(f(asString(args[0])), deepMarks(...args)));
}

/** Go's strings.Title: a letter after a separator is upper-cased. */
function title(s: string): string {
  let out = '';
  let prev = ' ';
  for (const ch of s) {
    out += isSeparator(prev) ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return !/[A-Za-z0-9_]/.test(ch);
  if (/[\p{L}\p{N}]/u.test(ch)) return false;
  return /\s/u.test(ch);
}

function trimSet(s: string, cutset: string): string {
  const cut = new Set(Array.from(cutset));
  const chars = Array.from(s);
  let a = 0;
  let b = chars.length;
  while (a < b && cut.has(chars[a])) a++;
  while (b > a && cut.has(chars[b - 1])) b--;
  return chars.slice(a, b).join('');
}

/** Go's strings.Replace(s, old, new, -1), including the empty-`old` case. */
function replaceLiteral(s: string, from: string, to: string): string {
  if (from !== '') return s.split(from).join(to);
  const chars = Array.from(s);
  return chars.length === 0 ? to : to + chars.join(to) + to;
}

function substr(s: string, offset: number, length: number): string {
  const chars = graphemes(s);
  let start = offset;
  if (start < 0) start = Math.max(0, start + chars.length);
  else if (length === 0) return '';
  if (start >= chars.length) return '';
  const end = length < 0 ? chars.length : Math.min(chars.length, start + length);
  return chars.slice(start, end).join('');
}

export const stringFunctions: FnTable = {
  lower: map1((s) => s.toLowerCase()),
  upper: map1((s) => s.toUpperCase()),
  title: map1(title),
  strrev: map1((s) => graphemes(s).reverse().join('')),
  trimspace: map1((s) => s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '')),
  chomp: map1((s) => s.replace(/(?:\r\n|\r|\n)+$/, '')),
  trim: fn(2, 2, (args) => str(trimSet(asString(args[0]), asString(args[1], 'cutset')), deepMarks(...args))),
  trimprefix: fn(2, 2, (args) => {
    const s = asString(args[0]);
    const p = asString(args[1], 'prefix');
    return str(s.startsWith(p) ? s.slice(p.length) : s, deepMarks(...args));
  }),
  trimsuffix: fn(2, 2, (args) => {
    const s = asString(args[0]);
    const p = asString(args[1], 'suffix');
    return str(p && s.endsWith(p) ? s.slice(0, s.length - p.length) : s, deepMarks(...args));
  }),
  startswith: fn(2, 2, (args) => bool(asString(args[0]).startsWith(asString(args[1], 'prefix')), deepMarks(...args))),
  endswith: fn(2, 2, (args) => bool(asString(args[0]).endsWith(asString(args[1], 'suffix')), deepMarks(...args))),
  strcontains: fn(2, 2, (args) => bool(asString(args[0]).includes(asString(args[1], 'substr')), deepMarks(...args))),
  substr: fn(3, 3, (args) => str(substr(asString(args[0]), asInt(args[1], 'offset'), asInt(args[2], 'length')), deepMarks(...args))),
  indent: fn(2, 2, (args) => {
    const n = asInt(args[0], 'spaces');
    checkSize(n, 'indent');
    return str(asString(args[1]).replace(/\n/g, `\n${' '.repeat(Math.max(0, n))}`), deepMarks(...args));
  }),
  /** A substring written as `/…/` is an RE2 regular expression; its replacement may use $1 / ${name}. */
  replace: fn(3, 3, (args) => {
    const s = asString(args[0]);
    const from = asString(args[1], 'substring');
    const to = asString(args[2], 'replacement');
    const isRegex = from.length > 1 && from.startsWith('/') && from.endsWith('/');
    return str(isRegex ? replaceAll(from.slice(1, -1), s, to) : replaceLiteral(s, from, to), deepMarks(...args));
  }),
  split: fn(2, 2, (args) => {
    const sep = asString(args[0], 'separator');
    const s = asString(args[1]);
    const marks = deepMarks(...args);
    const parts = sep === '' ? Array.from(s) : s.split(sep);
    return list(parts.map((p) => str(p, marks)), marks);
  }),
  join: fn(2, MANY, (args) => {
    const sep = asString(args[0], 'separator');
    const parts: string[] = [];
    args.slice(1).forEach((l, i) => asList(l, `argument ${i + 2}`).items.forEach((item, j) => {
      if (item.kind === 'null') throw new FnError(`element ${j} of list ${i + 1} is null; cannot concatenate null values`);
      parts.push(asString(item, `element ${j} of list ${i + 1}`));
    }));
    return str(parts.join(sep), deepMarks(...args));
  }),
  regex: fn(2, 2, (args) => regexMatch(asString(args[0], 'pattern'), asString(args[1]), deepMarks(...args))),
  regexall: fn(2, 2, (args) => regexMatchAll(asString(args[0], 'pattern'), asString(args[1]), deepMarks(...args))),
};

