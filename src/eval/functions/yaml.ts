/**
 * yamldecode() and yamlencode(). The decoder reads one YAML document: block and flow mappings
 * and sequences, plain / quoted / literal / folded scalars, comments, anchors, aliases, merge
 * keys and the standard `!!` tags, resolving plain scalars as Terraform's YAML library does
 * (YAML 1.1 booleans such as `yes`/`off`, `~` for null, timestamps as RFC 3339 strings).
 * Anything else (complex keys, custom tags, several documents) is an error, never a guess.
 * The encoder writes what Terraform writes: block style, sorted keys, double-quoted strings,
 * literal blocks for multi-line strings.
 */
import { bool, list, NULL, num, obj, str, withMarks, type Value } from '../../model/value';
import { decodeBase64 } from './encoding';
import { asString, compareStrings, deepMarks, fn, FnError, numToString, parseNumber, type FnTable } from './support';

/** A scalar before tag resolution: plain text resolves to null/bool/number/string; quoted is a string. */
interface RawScalar { readonly kind: 'raw'; readonly text: string; readonly plain: boolean }
type Node = Value | RawScalar;

const BOOLS: Record<string, boolean> = {};
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLS[s] = true;
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLS[s] = false;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const INFINITIES: Record<string, number> = {
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity, '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
};

/** YAML timestamps become RFC 3339 strings (fractional seconds dropped, UTC written as Z). */
function timestamp(s: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ \t]+)(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d*)?(?:[ \t]*(Z|[+-]\d{2}:\d{2}))?)?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, zone] = m;
  const p2 = (x: string): string => x.padStart(2, '0');
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31) return undefined;
  if (h === undefined) return `${y}-${p2(mo)}-${p2(d)}T00:00:00Z`;
  if (+h > 23 || +mi > 59 || +se > 59) return undefined;
  // Go accepts a zone only with the T separator; the space form has none and means UTC.
  const tz = zone === undefined || zone === 'Z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  return `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(se)}${tz}`;
}

function parseInteger(text: string): number | undefined {
  const plain = text.replace(/_/g, '');
  const dec = parseNumber(plain);
  if (dec !== undefined) return dec;
  const m = /^([+-]?)0([xob])([0-9a-fA-F]+)$/.exec(plain);
  if (!m) return undefined;
  const base = m[2] === 'x' ? 16 : m[2] === 'o' ? 8 : 2;
  if (![...m[3]].every((c) => parseInt(c, 16) < base)) return undefined;
  const n = parseInt(m[3], base);
  return m[1] === '-' ? -n : n;
}

function resolvePlain(text: string): Value {
  if (NULLS.has(text)) return NULL;
  if (text in BOOLS) return bool(BOOLS[text]);
  if (text in INFINITIES) return num(INFINITIES[text]);
  if (/^\.nan$/i.test(text)) throw new FnError('floating point NaN is not supported');
  if (/^[-+0-9]/.test(text)) {
    const t = timestamp(text);
    if (t) return str(t);
    const n = parseNumber(text.replace(/_/g, ''));
    if (n !== undefined) return num(n);
    if (/^-?0b[01_]+$/.test(text)) return num(parseInteger(text)!);
  } else if (text.startsWith('.')) {
    const n = parseNumber(text);
    if (n !== undefined) return num(n);
  }
  return str(text);
}

function resolveTagged(tag: string, text: string): Value {
  switch (tag) {
    case '!!str': return str(text);
    case '!!null': return NULL;
    case '!!bool':
      if (text in BOOLS) return bool(BOOLS[text]);
      break;
    case '!!int': case '!!float': {
      if (text in INFINITIES) return num(INFINITIES[text]);
      const n = parseInteger(text);
      if (n !== undefined) return num(n);
      break;
    }
    case '!!timestamp': {
      const t = timestamp(text);
      if (t) return str(t);
      break;
    }
    case '!!binary':
      decodeBase64(text.replace(/\s/g, ''));
      return str(text);
    default:
      throw new FnError(`unsupported tag ${JSON.stringify(tag)}`);
  }
  throw new FnError(`cannot parse ${JSON.stringify(text)} as ${tag}`);
}

const MAX_DEPTH = 200;
const MAX_NODES = 1_000_000;

class YamlReader {
  private pos = 0;
  private depth = 0;
  private aliasNodes = 0;
  private readonly anchors = new Map<string, Value>();
  private readonly sizes = new WeakMap<object, number>();

  constructor(private readonly src: string) {}

  // ---------- positions and lines ----------

  private fail(message: string): never {
    const before = this.src.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - (before.lastIndexOf('\n') + 1) + 1;
    throw new FnError(`on line ${line}, column ${column}: ${message}`);
  }

  private peek(offset = 0): string | undefined { return this.src[this.pos + offset]; }

  private column(): number { return this.pos - (this.src.lastIndexOf('\n', this.pos - 1) + 1); }

  private lineEndAt(p: number): number {
    const nl = this.src.indexOf('\n', p);
    return nl < 0 ? this.src.length : nl;
  }

  private skipInline(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  /** At a line break, the end, or a comment (the caller has just skipped blanks). */
  private atLineEnd(): boolean {
    const c = this.peek();
    return c === undefined || c === '\n' || c === '\r' || c === '#';
  }

  private static isDocMarker(line: string): boolean {
    return /^(---|\.\.\.)(\s|$)/.test(line);
  }

  /** Positions at the start of the first content line from line start `p`; returns its indent, or -1 at the end. */
  private seekContent(p: number): number {
    while (p < this.src.length) {
      const end = this.lineEndAt(p);
      const line = this.src.slice(p, end).replace(/\r$/, '');
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) { p = end + 1; continue; }
      this.pos = p;
      if (YamlReader.isDocMarker(line)) return -1;
      return line.length - line.replace(/^ +/, '').length;
    }
    this.pos = this.src.length;
    return -1;
  }

  /** The rest of the line must be blank or a comment; then on to the next content line. */
  private finishLine(): void {
    this.skipInline();
    if (this.peek() === '#') this.pos = this.lineEndAt(this.pos);
    if (this.peek() === '\r') this.pos++;
    if (this.pos < this.src.length && this.peek() !== '\n') this.fail(`unexpected ${JSON.stringify(this.peek())}`);
    this.seekContent(this.pos + 1);
  }

  /** Indentation of the content line pos is at the start of (-1 at the end or a document marker). */
  private currentIndent(): number {
    if (this.pos >= this.src.length) return -1;
    const line = this.src.slice(this.pos, this.lineEndAt(this.pos));
    if (YamlReader.isDocMarker(line)) return -1;
    return line.length - line.replace(/^ +/, '').length;
  }

  private isSeqItemAt(p: number): boolean {
    return this.src[p] === '-' && /^[ \t\r\n]?$/.test(this.src[p + 1] ?? '');
  }

  // ---------- document ----------

  document(): Value {
    if (this.src.startsWith('\ufeff')) this.pos = 1;
    let ind = this.seekContent(this.pos);
    while (ind === 0 && this.peek() === '%') ind = this.seekContent(this.lineEndAt(this.pos) + 1);
    let value: Value = NULL;
    if (this.src.startsWith('---', this.pos) && YamlReader.isDocMarker(this.src.slice(this.pos))) {
      this.pos += 3;
      value = this.value(-1, false, false);
    } else if (ind >= 0) {
      value = this.blockAt(ind, -1);
    }
    if (this.pos < this.src.length) {
      if (this.src.startsWith('...', this.pos)) {
        this.pos += 3;
        this.finishLine();
      }
      if (this.pos < this.src.length) {
        if (this.src.startsWith('---', this.pos)) this.fail('only one YAML document is supported');
        this.fail('unexpected content after the document');
      }
    }
    return value;
  }

  // ---------- block structure ----------

  /** A node starting at the first content of a line indented by `ind`. */
  private blockAt(ind: number, parentIndent: number): Value {
    const start = this.pos + ind;
    if (this.isSeqItemAt(start)) return this.blockSequence(ind, start);
    this.pos = start;
    if (this.looksLikeKey()) return this.blockMapping(ind, start);
    return this.value(parentIndent, false, false);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('the document is nested too deeply');
  }

  private blockSequence(ind: number, first: number): Value {
    this.enter();
    const items: Value[] = [];
    for (let p = first; ; p = this.pos + ind) {
      this.pos = p + 1;
      items.push(this.value(ind, false, true));
      const next = this.currentIndent();
      if (next === ind && this.isSeqItemAt(this.pos + ind)) continue;
      if (next > ind) this.fail('bad indentation of a sequence entry');
      break;
    }
    this.depth--;
    return list(items);
  }

  private blockMapping(ind: number, first: number): Value {
    this.enter();
    const entries = new Map<string, Value>();
    for (let p = first; ; p = this.pos + ind) {
      this.pos = p;
      const { key, merge } = this.mappingKey();
      const v = this.value(ind, true, false);
      if (merge) this.mergeInto(entries, v);
      else entries.set(key, v);
      const next = this.currentIndent();
      if (next === ind && !this.isSeqItemAt(this.pos + ind)) continue;
      if (next > ind) this.fail('bad indentation of a mapping entry');
      break;
    }
    this.depth--;
    return obj(entries);
  }

  private mergeInto(entries: Map<string, Value>, v: Value): void {
    const sources = v.kind === 'list' ? v.items : [v];
    for (const s of sources) {
      if (s.kind !== 'object') this.fail('a merge key (<<) needs a mapping or a list of mappings');
      for (const [k, e] of s.entries) entries.set(k, e);
    }
  }

  /** Whether the current line, from pos, is `key: …` (plain or quoted key). */
  private looksLikeKey(): boolean {
    const line = this.src.slice(this.pos, this.lineEndAt(this.pos));
    let i = 0;
    if (line[0] === '"' || line[0] === "'") {
      const q = line[0];
      for (i = 1; i < line.length; i++) {
        if (q === '"' && line[i] === '\\') { i++; continue; }
        if (line[i] === q) {
          if (q === "'" && line[i + 1] === "'") { i++; continue; }
          break;
        }
      }
      if (i >= line.length) return false;
      return /^[ \t]*:(\s|$)/.test(line.slice(i + 1));
    }
    if (/^[[{&*!|>%@`]/.test(line)) return false;
    for (; i < line.length; i++) {
      if (line[i] === '#' && i > 0 && /\s/.test(line[i - 1])) return false;
      if (line[i] === ':' && (i + 1 === line.length || /\s/.test(line[i + 1]))) return true;
    }
    return false;
  }

  private mappingKey(): { key: string; merge: boolean } {
    const c = this.peek();
    if (c === '?') this.fail('complex mapping keys (?) are not supported');
    let key: string;
    let merge = false;
    if (c === '"' || c === "'") {
      key = this.quoted();
    } else {
      const line = this.src.slice(this.pos, this.lineEndAt(this.pos));
      const colon = line.search(/:(\s|$)/);
      const text = line.slice(0, colon).trim();
      this.pos += colon;
      merge = text === '<<';
      const v = resolvePlain(text);
      if (v.kind === 'null') this.fail('null mapping keys are not supported');
      key = v.kind === 'string' ? v.value : v.kind === 'number' ? numToString(v.value) : String((v as { value: unknown }).value);
    }
    this.skipInline();
    if (this.peek() !== ':') this.fail('expected ":" after a mapping key');
    this.pos++;
    return { key, merge };
  }

  /**
   * The node after an indicator (`key:`, `-`, `---`) or at the start of a line. Returns with pos
   * at the start of the next content line. `sameIndentSeq`: a mapping value may be a sequence
   * at the mapping's own indentation. `inlineMap`: `- key: value` starts a mapping here.
   */
  private value(parentIndent: number, sameIndentSeq: boolean, inlineMap: boolean): Value {
    this.skipInline();
    let anchor: string | undefined;
    let tag: string | undefined;
    for (;;) {
      const c = this.peek();
      if (c !== '&' && c !== '!') break;
      const m = /^[&!][^\s,[\]{}]*/.exec(this.src.slice(this.pos))!;
      if (c === '&') anchor = m[0].slice(1); else tag = m[0];
      this.pos += m[0].length;
      this.skipInline();
    }
    let node: Node;
    const c = this.peek();
    if (this.atLineEnd()) {
      this.finishLine();
      const ind = this.currentIndent();
      if (ind > parentIndent) node = this.blockAt(ind, parentIndent);
      else if (ind === parentIndent && sameIndentSeq && this.isSeqItemAt(this.pos + ind)) node = this.blockSequence(ind, this.pos + ind);
      else node = { kind: 'raw', text: '', plain: true };
    } else if (c === '*') {
      if (anchor || tag) this.fail('an alias cannot have an anchor or tag');
      const m = /^\*([^\s,[\]{}]+)/.exec(this.src.slice(this.pos));
      const target = m && this.anchors.get(m[1]);
      if (!m || !target) this.fail(`unknown anchor ${JSON.stringify(m?.[1] ?? '')}`);
      this.countAlias(target);
      this.pos += m[0].length;
      this.finishLine();
      return target;
    } else if (c === '|' || c === '>') {
      node = this.blockScalar(parentIndent);
    } else if (c === '[' || c === '{') {
      node = this.flowNode();
      this.finishLine();
    } else if (this.isSeqItemAt(this.pos)) {
      if (!inlineMap) this.fail('a sequence cannot start here');
      node = this.blockSequence(this.column(), this.pos);
    } else if (this.looksLikeKey()) {
      if (!inlineMap) this.fail('mapping values are not allowed in this context');
      node = this.blockMapping(this.column(), this.pos);
    } else if (c === '"' || c === "'") {
      node = { kind: 'raw', text: this.quoted(), plain: false };
      this.finishLine();
    } else {
      node = this.plainBlock(parentIndent);
    }
    const v = this.resolve(node, tag);
    if (anchor !== undefined) this.anchors.set(anchor, v);
    return v;
  }

  private resolve(node: Node, tag: string | undefined): Value {
    if (node.kind !== 'raw') {
      if (tag && !(tag === '!!map' && node.kind === 'object') && !(tag === '!!seq' && node.kind === 'list')) {
        this.fail(`unsupported tag ${JSON.stringify(tag)}`);
      }
      return node;
    }
    if (tag) {
      try { return resolveTagged(tag, node.text); } catch (e) { if (e instanceof FnError) this.fail(e.message); throw e; }
    }
    if (!node.plain) return str(node.text);
    try { return resolvePlain(node.text); } catch (e) { if (e instanceof FnError) this.fail(e.message); throw e; }
  }

  /** Guards against alias bombs: the total size of aliased content is bounded. */
  private countAlias(v: Value): void {
    this.aliasNodes += this.size(v);
    if (this.aliasNodes > MAX_NODES) this.fail('the document expands to too many nodes through aliases');
  }

  private size(v: Value): number {
    if (v.kind !== 'list' && v.kind !== 'object') return 1;
    const cached = this.sizes.get(v);
    if (cached !== undefined) return cached;
    let n = 1;
    for (const i of v.kind === 'list' ? v.items : v.entries.values()) { n += this.size(i); if (n > MAX_NODES) break; }
    this.sizes.set(v, n);
    return n;
  }

  // ---------- scalars ----------

  /** Plain text up to a comment or the line end; `: ` inside is a structure error. */
  private plainLine(): string {
    const end = this.lineEndAt(this.pos);
    const line = this.src.slice(this.pos, end);
    let i = 0;
    for (; i < line.length; i++) {
      if (line[i] === '#' && i > 0 && /[ \t]/.test(line[i - 1])) break;
      if (line[i] === ':' && (i + 1 === line.length || /\s/.test(line[i + 1]))) { this.pos += i; this.fail('mapping values are not allowed in this context'); }
    }
    this.pos += i;
    return line.slice(0, i).replace(/[ \t\r]+$/, '');
  }

  /** A plain scalar in block context, continued on more-indented lines (joined by spaces). */
  private plainBlock(parentIndent: number): RawScalar {
    let text = this.plainLine();
    for (;;) {
      if (this.peek() === '#') break;
      let p = this.lineEndAt(this.pos) + 1;
      let empties = 0;
      while (p < this.src.length) {
        const end = this.lineEndAt(p);
        if (this.src.slice(p, end).trim() !== '') break;
        empties++;
        p = end + 1;
      }
      if (p >= this.src.length) break;
      const line = this.src.slice(p, this.lineEndAt(p));
      const ind = line.length - line.replace(/^[ ]+/, '').length;
      if (ind <= parentIndent || line.trimStart().startsWith('#') || YamlReader.isDocMarker(line)) break;
      text += empties ? '\n'.repeat(empties) : ' ';
      this.pos = p + ind;
      text += this.plainLine();
    }
    this.finishLine();
    return { kind: 'raw', text, plain: true };
  }

  /** A single- or double-quoted scalar, possibly spanning lines (line breaks fold to spaces). */
  private quoted(): string {
    const q = this.peek()!;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === undefined) this.fail('unterminated quoted string');
      if (c === q) {
        if (q === "'" && this.peek(1) === "'") { out += "'"; this.pos += 2; continue; }
        this.pos++;
        return out;
      }
      if (q === '"' && c === '\\') {
        const next = this.peek(1);
        if (next === '\n' || (next === '\r' && this.peek(2) === '\n')) {
          this.pos += next === '\n' ? 2 : 3;
          this.skipInline();
          continue;
        }
        out += this.escape();
        continue;
      }
      if (c === '\n' || c === '\r') {
        out = out.replace(/[ \t]+$/, '');
        let empties = 0;
        this.pos = this.lineEndAt(this.pos) + 1;
        for (;;) {
          this.skipInline();
          if (this.peek() === '\n' || (this.peek() === '\r' && this.peek(1) === '\n')) { empties++; this.pos = this.lineEndAt(this.pos) + 1; continue; }
          break;
        }
        out += empties ? '\n'.repeat(empties) : ' ';
        continue;
      }
      out += c;
      this.pos++;
    }
  }

  private escape(): string {
    const e = this.peek(1);
    const simple: Record<string, string> = {
      0: '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
      ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
    };
    if (e !== undefined && e in simple) { this.pos += 2; return simple[e]; }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    const hex = this.src.slice(this.pos + 2, this.pos + 2 + width);
    if (!width || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) this.fail(`invalid escape sequence \\${e ?? ''}`);
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff) this.fail(`invalid escape sequence \\${e}${hex}`);
    this.pos += 2 + width;
    return String.fromCodePoint(cp);
  }

  /** `|` (literal) or `>` (folded) with optional chomping (+/-) and indentation indicators. */
  private blockScalar(parentIndent: number): RawScalar {
    const folded = this.peek() === '>';
    this.pos++;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    let explicit = 0;
    for (let k = 0; k < 2; k++) {
      const c = this.peek();
      if (c === '-' || c === '+') { chomp = c === '-' ? 'strip' : 'keep'; this.pos++; } else if (c && /[1-9]/.test(c)) { explicit = Number(c); this.pos++; }
    }
    this.skipInline();
    if (this.peek() === '#') this.pos = this.lineEndAt(this.pos);
    if (this.pos < this.src.length && !/[\r\n]/.test(this.peek()!)) this.fail('unexpected text after a block scalar indicator');
    let p = this.lineEndAt(this.pos) + 1;
    let indent = explicit ? Math.max(parentIndent, 0) + explicit : -1;
    const lines: string[] = [];
    while (p < this.src.length) {
      const end = this.lineEndAt(p);
      const line = this.src.slice(p, end).replace(/\r$/, '');
      const ind = line.length - line.replace(/^ +/, '').length;
      if (line.trim() === '') { lines.push(indent >= 0 ? line.slice(indent) : ''); p = end + 1; continue; }
      if (indent < 0) indent = ind;
      if (ind < indent || ind <= parentIndent || (ind === 0 && YamlReader.isDocMarker(line))) break;
      lines.push(line.slice(indent));
      p = end + 1;
    }
    let trailing = 0;
    while (lines.length && lines[lines.length - 1].trim() === '') { lines.pop(); trailing++; }
    let text = folded ? foldLines(lines) : lines.join('\n');
    if (chomp !== 'strip' && lines.length) text += '\n';
    if (chomp === 'keep') text += '\n'.repeat(trailing);
    this.seekContent(Math.min(p, this.src.length));
    return { kind: 'raw', text, plain: false };
  }

  // ---------- flow collections ----------

  private skipFlowSpace(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { this.pos++; continue; }
      if (c === '#') { this.pos = this.lineEndAt(this.pos); continue; }
      return;
    }
  }

  private flowNode(): Value {
    this.skipFlowSpace();
    let anchor: string | undefined;
    let tag: string | undefined;
    while (this.peek() === '&' || this.peek() === '!') {
      const m = /^[&!][^\s,[\]{}]*/.exec(this.src.slice(this.pos))!;
      if (m[0][0] === '&') anchor = m[0].slice(1); else tag = m[0];
      this.pos += m[0].length;
      this.skipFlowSpace();
    }
    const c = this.peek();
    let node: Node;
    if (c === '[') node = this.flowSequence();
    else if (c === '{') node = this.flowMapping();
    else if (c === '"' || c === "'") node = { kind: 'raw', text: this.quoted(), plain: false };
    else if (c === '*') {
      const m = /^\*([^\s,[\]{}]+)/.exec(this.src.slice(this.pos));
      const target = m && this.anchors.get(m[1]);
      if (!m || !target) this.fail(`unknown anchor ${JSON.stringify(m?.[1] ?? '')}`);
      this.countAlias(target);
      this.pos += m[0].length;
      return target;
    } else {
      const m = /^(?:[^\s,[\]{}#:]|:(?![\s,[\]{}])|[ \t]+(?![\s#,[\]{}]|:[\s,[\]{}]))*/.exec(this.src.slice(this.pos))!;
      if (m[0] === '' && c !== ':' && c !== ',' && c !== ']' && c !== '}') this.fail(`unexpected ${JSON.stringify(c ?? 'end of input')}`);
      this.pos += m[0].length;
      node = { kind: 'raw', text: m[0].trim(), plain: true };
    }
    const v = this.resolve(node, tag);
    if (anchor !== undefined) this.anchors.set(anchor, v);
    return v;
  }

  private flowKey(v: Value): string {
    if (v.kind === 'string') return v.value;
    if (v.kind === 'number') return numToString(v.value);
    if (v.kind === 'bool') return String(v.value);
    return this.fail('mapping keys must be scalars');
  }

  private flowSequence(): Value {
    this.enter();
    this.pos++;
    const items: Value[] = [];
    for (;;) {
      this.skipFlowSpace();
      if (this.peek() === ']') { this.pos++; break; }
      let item = this.flowNode();
      this.skipFlowSpace();
      if (this.peek() === ':') {
        // `[a: b]` is a sequence holding the single-pair mapping {a: b}.
        this.pos++;
        this.skipFlowSpace();
        const value = this.peek() === ',' || this.peek() === ']' ? NULL : this.flowNode();
        item = obj(new Map([[this.flowKey(item), value]]));
        this.skipFlowSpace();
      }
      items.push(item);
      if (this.peek() === ',') { this.pos++; continue; }
      if (this.peek() !== ']') this.fail('expected "," or "]" in a flow sequence');
    }
    this.depth--;
    return list(items);
  }

  private flowMapping(): Value {
    this.enter();
    this.pos++;
    const entries = new Map<string, Value>();
    for (;;) {
      this.skipFlowSpace();
      if (this.peek() === '}') { this.pos++; break; }
      const keyNode = this.flowNode();
      this.skipFlowSpace();
      let value: Value = NULL;
      if (this.peek() === ':') {
        this.pos++;
        this.skipFlowSpace();
        if (this.peek() !== ',' && this.peek() !== '}') value = this.flowNode();
        this.skipFlowSpace();
      }
      entries.set(this.flowKey(keyNode), value);
      if (this.peek() === ',') { this.pos++; continue; }
      if (this.peek() !== '}') this.fail('expected "," or "}" in a flow mapping');
    }
    this.depth--;
    return obj(entries);
  }
}

/** Folding of `>` scalars: single breaks between normal lines become spaces; empty and more-indented lines keep breaks. */
function foldLines(lines: readonly string[]): string {
  let out = '';
  let empties = 0;
  let prev: 'none' | 'normal' | 'more' = 'none';
  for (const line of lines) {
    if (line === '') { empties++; continue; }
    const type = /^[ \t]/.test(line) ? 'more' : 'normal';
    if (prev === 'none') out += '\n'.repeat(empties);
    else if (prev === 'normal' && type === 'normal') out += empties ? '\n'.repeat(empties) : ' ';
    else out += '\n'.repeat(empties + 1);
    out += line;
    prev = type;
    empties = 0;
  }
  return out;
}

export function yamlDecode(text: string): Value {
  return new YamlReader(text).document();
}

// ---------- encoding ----------

/** Characters libyaml can write unescaped. */
function printable(c: number): boolean {
  return c === 0x0a || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff)
    || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

const YAML_ESCAPES: Record<string, string> = {
  '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r',
  '\x1b': '\\e', '"': '\\"', '\\': '\\\\', '\x85': '\\N', '\u2028': '\\L', '\u2029': '\\P',
};

function yamlQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch in YAML_ESCAPES) out += YAML_ESCAPES[ch];
    else if (!printable(c) || c === 0xfeff) {
      const hex = c.toString(16).toUpperCase();
      out += c <= 0xff ? `\\x${hex.padStart(2, '0')}` : c <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\U${hex.padStart(8, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/** Multi-line strings are written as literal blocks when libyaml allows it. */
function literalAllowed(s: string): boolean {
  if (!s.includes('\n') || / \n/.test(s) || s.endsWith(' ')) return false;
  for (const ch of s) if (!printable(ch.codePointAt(0)!)) return false;
  return true;
}

function literalBlock(s: string, indent: number): string {
  const trailing = /\n*$/.exec(s)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const header = `|${s.startsWith(' ') ? '2' : ''}${chomp}`;
  const body = trailing === 0 ? s : s.slice(0, -1);
  const pad = ' '.repeat(indent);
  return `${header}\n${body.split('\n').map((l) => (l ? pad + l : '')).join('\n')}\n`;
}

function isEmptyCollection(v: Value): boolean {
  return (v.kind === 'list' && v.items.length === 0) || (v.kind === 'object' && v.entries.size === 0);
}

/** A scalar (or empty collection) after `key: ` or `- `, including its line end. */
function inline(v: Value, indent: number): string {
  switch (v.kind) {
    case 'null': return 'null\n';
    case 'bool': return `${v.value}\n`;
    case 'number': return `${numToString(v.value)}\n`;
    case 'string': return literalAllowed(v.value) ? literalBlock(v.value, indent) : `${yamlQuote(v.value)}\n`;
    case 'list': return '[]\n';
    case 'object': return '{}\n';
    default: throw new FnError('cannot encode an unknown value');
  }
}

function block(v: Value, indent: number): string {
  const pad = ' '.repeat(indent);
  let out = '';
  if (v.kind === 'object') {
    for (const k of [...v.entries.keys()].sort(compareStrings)) {
      const e = v.entries.get(k)!;
      const key = `${pad}${yamlQuote(k)}:`;
      if (e.kind === 'list' && e.items.length) out += `${key}\n${block(e, indent)}`;
      else if (e.kind === 'object' && e.entries.size) out += `${key}\n${block(e, indent + 2)}`;
      else out += `${key} ${inline(e, indent + 2)}`;
    }
  } else if (v.kind === 'list') {
    for (const item of v.items) {
      if ((item.kind === 'list' || item.kind === 'object') && !isEmptyCollection(item)) {
        out += `${pad}- ${block(item, indent + 2).slice(indent + 2)}`;
      } else out += `${pad}- ${inline(item, indent + 2)}`;
    }
  }
  return out;
}

export function yamlEncode(v: Value): string {
  if ((v.kind === 'list' || v.kind === 'object') && !isEmptyCollection(v)) return block(v, 0);
  const text = inline(v, 2);
  // A plain scalar document gets libyaml's explicit end marker.
  return v.kind === 'null' || v.kind === 'bool' || v.kind === 'number' ? `${text}...\n` : text;
}

export const yamlFunctions: FnTable = {
  yamldecode: fn(1, 1, (args) => withMarks(yamlDecode(asString(args[0])), deepMarks(...args))),
  yamlencode: fn(1, 1, (args) => str(yamlEncode(args[0]), deepMarks(...args))),
};
