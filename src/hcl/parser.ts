/**
 * Parser for HCL templates and expressions as hcl2json and `.tf.json` present them: every string
 * value is a template whose `${…}` parts are native-syntax expressions. Recursive descent over the
 * text; precedence as in the HCL spec. Parsed templates are cached by text: repositories repeat
 * the same expressions a great deal.
 */
import type { BinaryOp, Expr, TemplatePart } from './ast';

export class HclSyntaxError extends Error {}

const cache = new Map<string, Expr>();
const CACHE_LIMIT = 50_000;

/** Parses a whole string as a template. Strings with no `${`/`%{` are a single text part. */
export function parseTemplate(text: string): Expr {
  if (!text.includes('${') && !text.includes('%{')) return { type: 'template', parts: text ? [{ type: 'text', text }] : [] };
  const hit = cache.get(text);
  if (hit) return hit;
  const p = new Parser(text);
  const parts = p.templateParts(() => p.pos >= text.length);
  if (p.pos < text.length) p.fail('unexpected text after template');
  const expr: Expr = { type: 'template', parts };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, expr);
  return expr;
}

/** Parses one native-syntax expression (e.g. a `--var` value or a type constraint). */
export function parseExpression(text: string): Expr {
  const p = new Parser(text);
  const e = p.expression();
  p.skipSpace(true);
  if (p.pos < text.length) p.fail('unexpected text after expression');
  return e;
}

const BINARY_LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/** Deepest expression nesting the parser follows (the evaluator stops at 200 anyway). */
const MAX_NESTING = 256;

class Parser {
  pos = 0;
  private depth = 0;
  /** Depth of brackets: newlines are insignificant inside (), [] and {} of tuples/for-exprs. */
  constructor(readonly src: string) {}

  fail(msg: string): never {
    throw new HclSyntaxError(`${msg} at offset ${this.pos} in ${JSON.stringify(this.src.length > 80 ? this.src.slice(0, 77) + '…' : this.src)}`);
  }

  // ---------- templates ----------

  /** Template parts until `stop()` is true (end of text, closing quote, or a directive keyword). */
  templateParts(stop: () => boolean, quoted = false): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let text = '';
    let trimNextText = false;
    const flush = (): void => {
      if (text) parts.push({ type: 'text', text: trimNextText ? text.replace(/^\s+/, '') : text });
      else if (trimNextText) { /* nothing to trim */ }
      text = '';
      trimNextText = false;
    };
    const trimPrevious = (): void => {
      text = text.replace(/\s+$/, '');
      if (!text && parts.length && parts[parts.length - 1].type === 'text') {
        const last = parts.pop() as { type: 'text'; text: string };
        const t = last.text.replace(/\s+$/, '');
        if (t) parts.push({ type: 'text', text: t });
      }
    };
    while (!stop()) {
      if (this.pos >= this.src.length) {
        if (quoted) this.fail('unterminated string');
        break;
      }
      const c = this.src[this.pos];
      const next = this.src[this.pos + 1];
      if ((c === '$' || c === '%') && next === c && this.src[this.pos + 2] === '{') {
        text += c + '{';
        this.pos += 3;
        continue;
      }
      if (c === '$' && next === '{') {
        this.pos += 2;
        if (this.src[this.pos] === '~') { this.pos++; trimPrevious(); }
        flush();
        this.skipSpace(true);
        const expr = this.expression();
        this.skipSpace(true);
        trimNextText = this.closeTemplateBrace();
        parts.push({ type: 'interp', expr });
        continue;
      }
      if (c === '%' && next === '{') {
        const save = this.pos;
        const kw = this.peekDirective();
        if (kw === 'else' || kw === 'endif' || kw === 'endfor') { this.pos = save; break; }
        this.pos += 2;
        if (this.src[this.pos] === '~') { this.pos++; trimPrevious(); }
        flush();
        parts.push(this.directive());
        continue;
      }
      if (quoted && c === '"') break;
      if (quoted && c === '\\') { text += this.escape(); continue; }
      text += c;
      this.pos++;
    }
    flush();
    return parts;
  }

  /** Consumes `~}` or `}`; returns whether the following text is to be trimmed. */
  private closeTemplateBrace(): boolean {
    let trim = false;
    if (this.src[this.pos] === '~') { trim = true; this.pos++; }
    if (this.src[this.pos] !== '}') this.fail('expected "}"');
    this.pos++;
    return trim;
  }

  private peekDirective(): string | undefined {
    const m = /^%\{~?\s*([a-z]+)/.exec(this.src.slice(this.pos, this.pos + 24));
    return m?.[1];
  }

  private directive(): TemplatePart {
    this.skipSpace(true);
    const kw = this.identifier();
    if (kw === 'if') {
      this.skipSpace(true);
      const cond = this.expression();
      this.skipSpace(true);
      this.closeTemplateBrace();
      const then = this.templateParts(() => this.atDirective('else', 'endif'));
      let els: TemplatePart[] = [];
      if (this.atDirective('else')) {
        this.consumeDirective('else');
        els = this.templateParts(() => this.atDirective('endif'));
      }
      this.consumeDirective('endif');
      return { type: 'if', cond, then, else: els };
    }
    if (kw === 'for') {
      const { keyVar, valVar } = this.forVariables();
      if (!this.keyword('in')) this.fail('expected "in"');
      this.skipSpace(true);
      const collection = this.expression();
      this.skipSpace(true);
      this.closeTemplateBrace();
      const body = this.templateParts(() => this.atDirective('endfor'));
      this.consumeDirective('endfor');
      return { type: 'for', keyVar, valVar, collection, body };
    }
    return this.fail(`unknown template directive "${kw}"`);
  }

  private atDirective(...kws: string[]): boolean {
    if (this.src[this.pos] !== '%' || this.src[this.pos + 1] !== '{') return false;
    const kw = this.peekDirective();
    return kw !== undefined && kws.includes(kw);
  }

  private consumeDirective(kw: string): void {
    if (!this.atDirective(kw)) this.fail(`expected %{${kw}}`);
    this.pos += 2;
    if (this.src[this.pos] === '~') this.pos++;
    this.skipSpace(true);
    this.identifier();
    this.skipSpace(true);
    this.closeTemplateBrace();
  }

  private escape(): string {
    const e = this.src[this.pos + 1];
    this.pos += 2;
    switch (e) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case 'u': case 'U': {
        const len = e === 'u' ? 4 : 8;
        const hex = this.src.slice(this.pos, this.pos + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail('bad unicode escape');
        this.pos += len;
        return String.fromCodePoint(parseInt(hex, 16));
      }
      default: return this.fail(`bad escape "\\${e}"`);
    }
  }

  // ---------- expressions ----------

  /** Skips spaces and comments; newlines too when `newlines` (inside brackets). */
  skipSpace(newlines: boolean): void {
    const s = this.src;
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) { this.pos++; continue; }
      if (c === '#' || (c === '/' && s[this.pos + 1] === '/')) {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
        continue;
      }
      if (c === '/' && s[this.pos + 1] === '*') {
        const end = s.indexOf('*/', this.pos + 2);
        this.pos = end < 0 ? s.length : end + 2;
        continue;
      }
      return;
    }
  }

  expression(): Expr {
    this.enter();
    try {
      return this.conditional();
    } finally {
      this.depth--;
    }
  }

  /** Nesting is bounded: each level costs a dozen stack frames, and input 10,000 levels deep
   *  (brackets, templates in templates, `!!!…`) would otherwise end in a RangeError. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`expression nested more than ${MAX_NESTING} levels deep`);
  }

  private conditional(): Expr {
    const cond = this.binary(0);
    this.skipSpace(true);
    if (this.src[this.pos] === '?') {
      this.pos++;
      this.skipSpace(true);
      const then = this.expression();
      this.skipSpace(true);
      if (this.src[this.pos] !== ':') this.fail('expected ":" in conditional');
      this.pos++;
      this.skipSpace(true);
      const els = this.expression();
      return { type: 'conditional', cond, then, else: els };
    }
    return cond;
  }

  private binary(level: number): Expr {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skipSpace(true);
      const op = this.matchOp(BINARY_LEVELS[level]);
      if (!op) return left;
      this.skipSpace(true);
      const right = this.binary(level + 1);
      left = { type: 'binary', op, left, right };
    }
  }

  private matchOp(ops: readonly BinaryOp[]): BinaryOp | undefined {
    const s = this.src;
    // Longest first, and never mistake `=>` / `==` / `<=` parts for each other.
    for (const op of [...ops].sort((a, b) => b.length - a.length)) {
      if (s.startsWith(op, this.pos)) {
        if ((op === '<' || op === '>') && s[this.pos + 1] === '=') continue;
        if (op === '<' && s[this.pos + 1] === '<') return undefined; // heredoc, not an operator
        if ((op === '*' || op === '/') && s[this.pos + 1] === (op === '*' ? '/' : '/')) return undefined;
        this.pos += op.length;
        return op;
      }
    }
    return undefined;
  }

  private unary(): Expr {
    this.skipSpace(true);
    const c = this.src[this.pos];
    if (c === '!' || (c === '-' && !/[0-9]/.test(this.src[this.pos + 1] ?? ''))) {
      this.pos++;
      this.enter();
      try {
        return { type: 'unary', op: c, operand: this.unary() };
      } finally {
        this.depth--;
      }
    }
    if (c === '-') {
      this.pos++;
      const operand = this.postfix(this.primary());
      return operand.type === 'literal' && typeof operand.value === 'number'
        ? { type: 'literal', value: -operand.value }
        : { type: 'unary', op: '-', operand };
    }
    return this.postfix(this.primary());
  }

  private postfix(target: Expr): Expr {
    for (;;) {
      const s = this.src;
      // Attribute access and splats may continue on the same line only.
      this.skipSpace(false);
      const c = s[this.pos];
      if (s.startsWith('...', this.pos)) return target; // expansion / grouping marker, not an attribute
      if (c === '.' && s[this.pos + 1] === '*') {
        this.pos += 2;
        target = { type: 'splat', target, each: this.splatTail(true) };
        continue;
      }
      if (c === '.') {
        this.pos++;
        this.skipSpace(false);
        if (/[0-9]/.test(s[this.pos] ?? '')) {
          const start = this.pos;
          while (/[0-9]/.test(s[this.pos] ?? '')) this.pos++;
          target = { type: 'index', target, key: { type: 'literal', value: Number(s.slice(start, this.pos)) } };
          continue;
        }
        target = { type: 'getattr', target, name: this.identifier() };
        continue;
      }
      if (c === '[') {
        const save = this.pos;
        this.pos++;
        this.skipSpace(true);
        if (s[this.pos] === '*') {
          this.pos++;
          this.skipSpace(true);
          if (s[this.pos] !== ']') { this.pos = save; return target; }
          this.pos++;
          target = { type: 'splat', target, each: this.splatTail(false) };
          continue;
        }
        const key = this.expression();
        this.skipSpace(true);
        if (s[this.pos] !== ']') this.fail('expected "]"');
        this.pos++;
        target = { type: 'index', target, key };
        continue;
      }
      return target;
    }
  }

  /** What follows a splat applies to each element: `.a.b` (attribute-only splat) or `.a[0]` (full splat). */
  private splatTail(attrOnly: boolean): Expr {
    let each: Expr = { type: 'splatItem' };
    for (;;) {
      const s = this.src;
      if (s[this.pos] === '.' && s[this.pos + 1] !== '*' && /[A-Za-z_]/.test(s[this.pos + 1] ?? '')) {
        this.pos++;
        each = { type: 'getattr', target: each, name: this.identifier() };
        continue;
      }
      if (!attrOnly && s[this.pos] === '[' && s[this.pos + 1] !== '*') {
        this.pos++;
        this.skipSpace(true);
        const key = this.expression();
        this.skipSpace(true);
        if (s[this.pos] !== ']') this.fail('expected "]"');
        this.pos++;
        each = { type: 'index', target: each, key };
        continue;
      }
      return each;
    }
  }

  private primary(): Expr {
    this.skipSpace(true);
    const s = this.src;
    const c = s[this.pos];
    if (c === undefined) this.fail('unexpected end of expression');
    if (c === '(') {
      this.pos++;
      const e = this.expression();
      this.skipSpace(true);
      if (s[this.pos] !== ')') this.fail('expected ")"');
      this.pos++;
      return e;
    }
    if (c === '"') {
      this.pos++;
      const parts = this.templateParts(() => s[this.pos] === '"', true);
      this.pos++;
      return { type: 'template', parts };
    }
    if (c === '<' && s[this.pos + 1] === '<') return this.heredoc();
    if (/[0-9]/.test(c)) return this.number();
    if (c === '[') return this.tupleOrFor();
    if (c === '{') return this.objectOrFor();
    if (/[A-Za-z_]/.test(c)) {
      let name = this.identifier();
      if (name === 'true') return { type: 'literal', value: true };
      if (name === 'false') return { type: 'literal', value: false };
      if (name === 'null') return { type: 'literal', value: null };
      while (s.startsWith('::', this.pos)) { this.pos += 2; name += '::' + this.identifier(); }
      const save = this.pos;
      this.skipSpace(false);
      if (s[this.pos] === '(') {
        this.pos++;
        return this.call(name);
      }
      this.pos = save;
      return { type: 'variable', name };
    }
    return this.fail(`unexpected character "${c}"`);
  }

  private call(name: string): Expr {
    const args: Expr[] = [];
    let expandFinal = false;
    const s = this.src;
    this.skipSpace(true);
    while (s[this.pos] !== ')') {
      args.push(this.expression());
      this.skipSpace(true);
      if (s.startsWith('...', this.pos)) { expandFinal = true; this.pos += 3; this.skipSpace(true); }
      if (s[this.pos] === ',') { this.pos++; this.skipSpace(true); continue; }
      if (s[this.pos] !== ')') this.fail('expected "," or ")" in function call');
    }
    this.pos++;
    return { type: 'call', name, args, expandFinal };
  }

  private number(): Expr {
    const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.pos));
    if (!m) this.fail('bad number');
    this.pos += m[0].length;
    return { type: 'literal', value: Number(m[0]) };
  }

  identifier(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!m) this.fail('expected a name');
    this.pos += m[0].length;
    return m[0];
  }

  private keyword(kw: string): boolean {
    const save = this.pos;
    this.skipSpace(true);
    if (this.src.startsWith(kw, this.pos) && !/[A-Za-z0-9_-]/.test(this.src[this.pos + kw.length] ?? '')) {
      this.pos += kw.length;
      return true;
    }
    this.pos = save;
    return false;
  }

  private tupleOrFor(): Expr {
    this.pos++;
    if (this.keyword('for')) return this.forExpr(']');
    const items: Expr[] = [];
    const s = this.src;
    this.skipSpace(true);
    while (s[this.pos] !== ']') {
      items.push(this.expression());
      this.skipSpace(true);
      if (s[this.pos] === ',') { this.pos++; this.skipSpace(true); continue; }
      if (s[this.pos] !== ']') this.fail('expected "," or "]" in tuple');
    }
    this.pos++;
    return { type: 'tuple', items };
  }

  private objectOrFor(): Expr {
    this.pos++;
    if (this.keyword('for')) return this.forExpr('}');
    const items: { key: Expr; value: Expr }[] = [];
    const s = this.src;
    this.skipSpace(true);
    while (s[this.pos] !== '}') {
      const key = this.objectKey();
      this.skipSpace(false);
      if (s[this.pos] !== '=' && s[this.pos] !== ':') this.fail('expected "=" or ":" after object key');
      this.pos++;
      this.skipSpace(true);
      const value = this.expression();
      items.push({ key, value });
      this.skipSpace(false);
      if (s[this.pos] === ',' || s[this.pos] === '\n') this.pos++;
      this.skipSpace(true);
      if (this.pos >= s.length) this.fail('unterminated object');
    }
    this.pos++;
    return { type: 'object', items };
  }

  /** A bare identifier key is a string; anything else is an expression (quoted, parenthesised). */
  private objectKey(): Expr {
    const s = this.src;
    if (/[A-Za-z_]/.test(s[this.pos] ?? '')) {
      const save = this.pos;
      const name = this.identifier();
      this.skipSpace(false);
      if (s[this.pos] === '=' && s[this.pos + 1] !== '=') return { type: 'literal', value: name };
      if (s[this.pos] === ':') return { type: 'literal', value: name };
      this.pos = save;
    }
    return this.binary(0);
  }

  /** `v` or `k, v` of a for expression or directive. */
  private forVariables(): { keyVar?: string; valVar: string } {
    this.skipSpace(true);
    const first = this.identifier();
    this.skipSpace(true);
    if (this.src[this.pos] !== ',') return { valVar: first };
    this.pos++;
    this.skipSpace(true);
    return { keyVar: first, valVar: this.identifier() };
  }

  private forExpr(close: ']' | '}'): Expr {
    const { keyVar, valVar } = this.forVariables();
    if (!this.keyword('in')) this.fail('expected "in" in for expression');
    this.skipSpace(true);
    const collection = this.expression();
    this.skipSpace(true);
    if (this.src[this.pos] !== ':') this.fail('expected ":" in for expression');
    this.pos++;
    this.skipSpace(true);
    let keyExpr: Expr | undefined;
    let valExpr = this.expression();
    this.skipSpace(true);
    let grouped = false;
    if (close === '}') {
      if (!this.src.startsWith('=>', this.pos)) this.fail('expected "=>" in object for expression');
      this.pos += 2;
      keyExpr = valExpr;
      valExpr = this.expression();
      this.skipSpace(true);
      if (this.src.startsWith('...', this.pos)) { grouped = true; this.pos += 3; }
    }
    let cond: Expr | undefined;
    if (this.keyword('if')) { this.skipSpace(true); cond = this.expression(); }
    this.skipSpace(true);
    if (this.src[this.pos] !== close) this.fail(`expected "${close}" to close for expression`);
    this.pos++;
    return { type: 'for', keyVar, valVar, collection, keyExpr, valExpr, cond, grouped };
  }

  private heredoc(): Expr {
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(this.src.slice(this.pos));
    if (!m) this.fail('bad heredoc');
    this.pos += m[0].length;
    const marker = m[2];
    const rest = this.src.slice(this.pos);
    const end = new RegExp(`^[ \\t]*${marker}[ \\t]*$`, 'm').exec(rest);
    if (!end) this.fail('unterminated heredoc');
    let body = rest.slice(0, end.index);
    this.pos += end.index + end[0].length;
    if (m[1] === '-') {
      const lines = body.split('\n');
      const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
      const cut = indents.length ? Math.min(...indents) : 0;
      body = lines.map((l) => l.slice(cut)).join('\n');
    }
    return parseTemplate(body);
  }
}
