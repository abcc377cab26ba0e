/**
 * Terraform's regular expressions are Go RE2. This translates RE2 syntax into an equivalent
 * JavaScript RegExp (unicode mode) and reproduces Go's match iteration, so regex(), regexall()
 * and replace("/re/") give Terraform's results. RE2 features JavaScript cannot express
 * (flag groups mid-pattern, ungreedy mode) make the call Unknown, not wrong.
 */
import { NULL, list, obj, str, unknown, type Marks, type Value } from '../../model/value';
import { FnError, UnknownPart } from './support';

export interface Re2 {
  /** Global, unicode-mode equivalent. */
  readonly re: RegExp;
  /** Per capture group in order: its name, or undefined when unnamed. */
  readonly groups: readonly (string | undefined)[];
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ', upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/** Characters that must stay escaped in a JavaScript unicode-mode pattern. */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

function notEvaluated(pattern: string, what: string): UnknownPart {
  return new UnknownPart(unknown(`regular expression ${JSON.stringify(pattern)} uses ${what}, which is not evaluated`));
}

function literal(ch: string, inClass: boolean): string {
  if (JS_SYNTAX.has(ch) || (inClass && ch === '-')) return `\\${ch}`;
  return ch;
}

/** One backslash escape at p[i]; returns the JavaScript text and how many characters it used. */
function escape(p: string, i: number, inClass: boolean): [string, number] {
  const next = p[i + 1];
  if (next === undefined) throw new FnError('invalid regexp pattern: trailing backslash at end of expression');
  const rest = p.slice(i);
  switch (next) {
    case 'd': case 'D': case 'w': case 'W': return [`\\${next}`, 2];
    case 'b': case 'B':
      if (inClass) throw new FnError(`invalid regexp pattern: invalid escape sequence \\${next}`);
      return [`\\${next}`, 2];
    // RE2's \s is ASCII whitespace without \v; JavaScript's is wider.
    case 's': return [inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]', 2];
    case 'S': return [inClass ? '\\S' : '[^\\t\\n\\f\\r ]', 2];
    case 'A': return ['(?<![\\s\\S])', 2];
    case 'z': return ['(?![\\s\\S])', 2];
    case 'a': return ['\\x07', 2];
    case 'f': case 't': case 'n': case 'r': case 'v': return [`\\${next}`, 2];
    case 'x': {
      const m = /^\\x(?:\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2}))/.exec(rest);
      if (!m) throw new FnError('invalid regexp pattern: invalid escape sequence \\x');
      return [`\\u{${m[1] ?? m[2]}}`, m[0].length];
    }
    case 'p': case 'P': {
      const m = /^\\[pP](?:\{(\^?)([A-Za-z_]+)\}|([A-Za-z]))/.exec(rest);
      if (!m) throw new FnError(`invalid regexp pattern: invalid character class range ${rest.slice(0, 4)}`);
      const name = m[2] ?? m[3];
      const negate = (next === 'P') !== (m[1] === '^');
      if (name === 'Any') return [negate ? '[^\\s\\S]' : inClass ? '\\s\\S' : '[\\s\\S]', m[0].length];
      const prop = /^[A-Z][a-z&]?$/.test(name) ? name : `Script=${name}`;
      return [`\\${negate ? 'P' : 'p'}{${prop}}`, m[0].length];
    }
    case 'Q': {
      const end = p.indexOf('\\E', i + 2);
      const text = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
      return [Array.from(text, (ch) => literal(ch, inClass)).join(''), (end < 0 ? p.length : end + 2) - i];
    }
  }
  if (/[0-7]/.test(next)) {
    // Go reads octal only as \0nn or \[1-7] followed by another octal digit; a lone \1 is a backreference.
    const m = /^\\([0-7]{1,3})/.exec(rest)!;
    if (next !== '0' && m[1].length === 1) throw new FnError(`invalid regexp pattern: invalid escape sequence \\${next}`);
    return [`\\u{${parseInt(m[1], 8).toString(16)}}`, m[0].length];
  }
  if (/[!-/:-@[-`{-~]/.test(next)) return [literal(next, inClass), 2];
  throw new FnError(`invalid regexp pattern: invalid escape sequence \\${next}`);
}

/** A bracket expression starting at p[i]. */
function charClass(p: string, i: number, pattern: string): [string, number] {
  let j = i + 1;
  let out = '[';
  if (p[j] === '^') { out += '^'; j++; }
  let first = true;
  for (;;) {
    if (j >= p.length) throw new FnError('invalid regexp pattern: missing closing ]');
    const c = p[j];
    if (c === ']' && !first) { out += ']'; j++; break; }
    first = false;
    if (c === '[' && p[j + 1] === ':') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(j));
      if (m) {
        if (m[1]) throw notEvaluated(pattern, 'a negated POSIX class');
        const body = POSIX_CLASSES[m[2]];
        if (!body) throw new FnError(`invalid regexp pattern: invalid character class range ${m[0]}`);
        out += body;
        j += m[0].length;
        continue;
      }
    }
    if (c === '\\') { const [t, n] = escape(p, j, true); out += t; j += n; continue; }
    out += c === ']' || c === '[' ? `\\${c}` : c;
    j++;
  }
  return [out, j - i];
}

/** Compiles an RE2 pattern; FnError for invalid patterns, UnknownPart for ones we cannot translate. */
export function compileRe2(pattern: string): Re2 {
  let flags = 'gu';
  let i = 0;
  // Flags set at the very start apply to the whole pattern, which JavaScript can express.
  for (let m = /^\(\?([imsU]*)(?:-([imsU]*))?\)/.exec(pattern); m; m = /^\(\?([imsU]*)(?:-([imsU]*))?\)/.exec(pattern.slice(i))) {
    if (m[1].includes('U')) throw notEvaluated(pattern, 'ungreedy mode (?U)');
    for (const f of m[1]) if (!flags.includes(f)) flags += f;
    for (const f of m[2] ?? '') flags = flags.replace(f, '');
    i += m[0].length;
  }
  const dotAll = flags.includes('s');
  const groups: (string | undefined)[] = [];
  let out = '';
  while (i < pattern.length) {
    const c = pattern[i];
    const rest = pattern.slice(i);
    if (c === '\\') { const [t, n] = escape(pattern, i, false); out += t; i += n; continue; }
    if (c === '[') { const [t, n] = charClass(pattern, i, pattern); out += t; i += n; continue; }
    if (c === '(') {
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) { groups.push(named[1]); out += `(?<${named[1]}>`; i += named[0].length; continue; }
      if (rest.startsWith('(?:')) { out += '(?:'; i += 3; continue; }
      if (rest.startsWith('(?')) throw notEvaluated(pattern, 'flags inside the pattern');
      groups.push(undefined);
      out += '(';
      i++;
      continue;
    }
    if (c === '.') { out += dotAll ? '.' : '[^\\n]'; i++; continue; }
    if (c === '{') {
      // Braces that do not form a repetition are literal in RE2, an error in JavaScript unicode mode.
      const m = /^\{\d+(?:,\d*)?\}/.exec(rest);
      if (m) { out += m[0]; i += m[0].length; } else { out += '\\{'; i++; }
      continue;
    }
    if (c === '}' || c === ']') { out += `\\${c}`; i++; continue; }
    out += c;
    i++;
  }
  try {
    return { re: new RegExp(out, flags), groups };
  } catch (e) {
    throw new FnError(`invalid regexp pattern: ${e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e)}`);
  }
}

/** Width of the character at `pos` in UTF-16 units (Go steps by whole characters). */
function charWidth(s: string, pos: number): number {
  const c = s.codePointAt(pos);
  return c !== undefined && c > 0xffff ? 2 : 1;
}

/** All matches as Go's FindAll gives them: an empty match right after a previous match is skipped. */
export function findAll(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += pos < s.length ? charWidth(s, pos) : 1;
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) out.push(m);
  }
  return out;
}

/** Expands Go's replacement template: $1, ${1}, $name, ${name}, $$. */
function expandTemplate(template: string, m: RegExpExecArray, groups: readonly (string | undefined)[]): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) { out += template.slice(i); break; }
    out += template.slice(i, d);
    i = d;
    if (template[i + 1] === '$') { out += '$'; i += 2; continue; }
    const ref = /^\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/.exec(template.slice(i));
    if (!ref) { out += '$'; i++; continue; }
    i += ref[0].length;
    const name = ref[1] ?? ref[2];
    if (/^\d+$/.test(name)) { const k = Number(name); out += k < m.length ? m[k] ?? '' : ''; continue; }
    const idx = groups.indexOf(name);
    if (idx >= 0) out += m[idx + 1] ?? '';
  }
  return out;
}

/** Go's ReplaceAllString. */
export function replaceAll(pattern: string, s: string, template: string): string {
  const { re, groups } = compileRe2(pattern);
  let out = '';
  let lastEnd = 0;
  let pos = 0;
  while (pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += s.slice(lastEnd, start);
    if (end > lastEnd || start === 0) out += expandTemplate(template, m, groups);
    lastEnd = end;
    const width = pos < s.length ? charWidth(s, pos) : 1;
    if (pos + width > end) pos += width;
    else if (pos + 1 > end) pos++;
    else pos = end;
  }
  return out + s.slice(lastEnd);
}

/** The shape regex() returns: the match, a list of unnamed captures, or an object of named ones. */
function matchValue(m: RegExpExecArray, groups: readonly (string | undefined)[], marks: Marks | undefined): Value {
  if (groups.length === 0) return str(m[0], marks);
  const capture = (k: number): Value => (m[k + 1] === undefined ? NULL : str(m[k + 1]));
  if (groups.every((g) => g === undefined)) return list(groups.map((_, k) => capture(k)), marks);
  return obj(new Map(groups.map((g, k) => [g!, capture(k)])), marks);
}

function checkGroups(groups: readonly (string | undefined)[]): void {
  if (groups.some((g) => g === undefined) && groups.some((g) => g !== undefined)) {
    throw new FnError('invalid regexp pattern: cannot mix both named and unnamed capture groups');
  }
}

export function regexMatch(pattern: string, s: string, marks: Marks | undefined): Value {
  const { re, groups } = compileRe2(pattern);
  checkGroups(groups);
  re.lastIndex = 0;
  const m = re.exec(s);
  if (!m) throw new FnError('pattern did not match any part of the given string');
  return matchValue(m, groups, marks);
}

export function regexMatchAll(pattern: string, s: string, marks: Marks | undefined): Value {
  const { re, groups } = compileRe2(pattern);
  checkGroups(groups);
  return list(findAll(re, s).map((m) => matchValue(m, groups, marks)), marks);
}
