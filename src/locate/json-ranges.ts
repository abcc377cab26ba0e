/**
 * Positions of JSON values by path, without building the document. Plan files reach tens of
 * megabytes on one line, so this scans the text and only indexes the containers a lookup walks
 * through (member/element offsets, cached per container); every other value is skipped over.
 * Offsets are JavaScript string indices (UTF-16 code units), which is what SARIF columns count.
 */
import type { PathStep } from '../model/source';
import { deeper, stepIndex, type Resolved, type TextSpan as Span } from './locator';

export interface JsonMember {
  readonly key: string;
  /** The member as written, `"key": value`. */
  readonly span: Span;
  readonly value: Span;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export class JsonRangeIndex {
  private readonly objects = new Map<number, JsonMember[]>();
  private readonly arrays = new Map<number, Span[]>();
  private rootSpan: Span | null | undefined;

  constructor(private readonly text: string) {}

  /** The top-level value, undefined when the text holds none. */
  root(): Span | undefined {
    if (this.rootSpan === undefined) {
      const text = this.text;
      const start = this.skipSpace(text.charCodeAt(0) === 0xfeff ? 1 : 0);
      let end = -1;
      if (start < text.length) {
        // A document ends where its text does: no need to scan 50 MB to find the closing brace.
        let last = text.length;
        while (last > start && isSpace(text.charCodeAt(last - 1))) last--;
        const first = text.charCodeAt(start);
        const closer = text.charCodeAt(last - 1);
        const closes = (first === OPEN_BRACE && closer === CLOSE_BRACE) || (first === OPEN_BRACKET && closer === CLOSE_BRACKET);
        end = closes && last - 1 > start ? last : this.skipValue(start);
      }
      this.rootSpan = end < 0 ? null : { start, end };
    }
    return this.rootSpan ?? undefined;
  }

  isObject(span: Span): boolean {
    return this.text.charCodeAt(span.start) === OPEN_BRACE;
  }

  isArray(span: Span): boolean {
    return this.text.charCodeAt(span.start) === OPEN_BRACKET;
  }

  /** Members of an object in source order (empty for anything else). */
  members(span: Span): readonly JsonMember[] {
    if (!this.isObject(span)) return [];
    let found = this.objects.get(span.start);
    if (!found) {
      found = this.scanObject(span.start);
      this.objects.set(span.start, found);
    }
    return found;
  }

  /** The member with that key; the last one wins on duplicates, as with JSON.parse. */
  member(span: Span, key: string): JsonMember | undefined {
    const all = this.members(span);
    for (let i = all.length - 1; i >= 0; i--) if (all[i].key === key) return all[i];
    return undefined;
  }

  /** Elements of an array in order (empty for anything else). */
  elements(span: Span): readonly Span[] {
    if (!this.isArray(span)) return [];
    let found = this.arrays.get(span.start);
    if (!found) {
      found = this.scanArray(span.start);
      this.arrays.set(span.start, found);
    }
    return found;
  }

  /** Follows a plain JSON path (keys and array indices); the span is the value's. */
  resolvePath(path: readonly PathStep[]): Resolved | undefined {
    let current = this.root();
    if (!current) return undefined;
    let depth = 0;
    for (const step of path) {
      const next = this.child(current, step);
      if (!next) break;
      current = next;
      depth++;
    }
    return { span: current, depth };
  }

  /** The value under one step: an object key, or an index into an array. */
  child(span: Span, step: PathStep): Span | undefined {
    if (this.isObject(span)) return this.member(span, String(step))?.value;
    const index = stepIndex(step);
    if (index === undefined) return undefined;
    return this.elements(span)[index];
  }

  private skipSpace(i: number): number {
    const text = this.text;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    return i;
  }

  /** End (exclusive) of the string starting at i, or -1 when unterminated. */
  private skipString(i: number): number {
    const text = this.text;
    let from = i + 1;
    for (;;) {
      const quote = text.indexOf('"', from);
      if (quote < 0) return -1;
      let slashes = 0;
      while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) return quote + 1;
      from = quote + 1;
    }
  }

  /** End (exclusive) of the value starting at i, or -1 when malformed/truncated. */
  private skipValue(i: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (c === QUOTE) return this.skipString(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0;
      const length = text.length;
      for (let j = i; j < length; j++) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) {
          j = this.skipString(j);
          if (j < 0) return -1;
          j--;
        } else if (d === OPEN_BRACE || d === OPEN_BRACKET) {
          depth++;
        } else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
          if (--depth === 0) return j + 1;
        }
      }
      return -1;
    }
    // number, true, false, null: up to the next delimiter
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
      j++;
    }
    return j > i ? j : -1;
  }

  /** Members of the object at `start`; stops quietly at the first malformed spot. */
  private scanObject(start: number): JsonMember[] {
    const text = this.text;
    const out: JsonMember[] = [];
    let i = this.skipSpace(start + 1);
    while (i < text.length && text.charCodeAt(i) === QUOTE) {
      const keyEnd = this.skipString(i);
      if (keyEnd < 0) break;
      const key = decodeKey(text.slice(i, keyEnd));
      let v = this.skipSpace(keyEnd);
      if (text.charCodeAt(v) !== COLON) break;
      v = this.skipSpace(v + 1);
      const end = v < text.length ? this.skipValue(v) : -1;
      if (end < 0) break;
      out.push({ key, span: { start: i, end }, value: { start: v, end } });
      i = this.skipSpace(end);
      if (text.charCodeAt(i) !== COMMA) break;
      i = this.skipSpace(i + 1);
    }
    return out;
  }

  private scanArray(start: number): Span[] {
    const text = this.text;
    const out: Span[] = [];
    let i = this.skipSpace(start + 1);
    while (i < text.length && text.charCodeAt(i) !== CLOSE_BRACKET) {
      const end = this.skipValue(i);
      if (end < 0) break;
      out.push({ start: i, end });
      i = this.skipSpace(end);
      if (text.charCodeAt(i) !== COMMA) break;
      i = this.skipSpace(i + 1);
    }
    return out;
  }
}

function decodeKey(quoted: string): string {
  if (quoted.indexOf('\\') < 0) return quoted.slice(1, -1);
  try {
    const decoded: unknown = JSON.parse(quoted);
    return typeof decoded === 'string' ? decoded : quoted.slice(1, -1);
  } catch {
    return quoted.slice(1, -1);
  }
}

/**
 * Terraform's JSON syntax (`.tf.json`, `.tfvars.json`): blocks are objects keyed by type then
 * labels, any level may be an array of such objects, nested blocks are an object or an array of
 * objects, and `"dynamic": {"x": {…, "content": {…}}}` counts as a nested block named x.
 * Returns the span of the deepest member/element reached, including the key (`"runtime": "x"`).
 */
export function resolveTerraformJson(index: JsonRangeIndex, path: readonly PathStep[]): Resolved | undefined {
  const root = index.root();
  if (!root || path.length === 0) return undefined;
  const found = walkTerraform(index, root, path, 0);
  return found && found.depth > 0 ? found : undefined;
}

/** A nested block in JSON form: its written extent and the bodies its attributes may be in. */
interface JsonBlock {
  readonly span: Span;
  readonly bodies: readonly Span[];
}

function walkTerraform(index: JsonRangeIndex, at: Span, path: readonly PathStep[], i: number): Resolved | undefined {
  if (i >= path.length) return undefined;
  const step = path[i];
  if (index.isArray(at)) {
    // Several objects that together form one level (e.g. `"locals": [{…}, {…}]`).
    const positional = stepIndex(step);
    let best: Resolved | undefined;
    if (positional !== undefined) {
      const element = index.elements(at)[positional];
      if (element) best = deeper({ span: element, depth: i + 1 }, walkTerraform(index, element, path, i + 1));
    }
    for (const element of index.elements(at)) {
      if (index.isObject(element)) best = deeper(best, walkTerraform(index, element, path, i));
    }
    return best;
  }
  if (!index.isObject(at)) return undefined;
  if (typeof step === 'number') {
    // A single block written as an object is block 0.
    return step === 0 ? walkTerraform(index, at, path, i + 1) : undefined;
  }
  const next = path[i + 1];
  if (typeof next === 'number') {
    const blocks = nestedBlocks(index, at, step);
    if (blocks.length > 0) {
      const block = blocks[next];
      if (!block) return { span: index.member(at, step)?.span ?? blocks[0].span, depth: i + 1 };
      let best: Resolved = { span: block.span, depth: i + 2 };
      for (const body of block.bodies) best = deeper(best, walkTerraform(index, body, path, i + 2)) ?? best;
      return best;
    }
  }
  const member = index.member(at, step);
  if (!member) return undefined;
  return deeper({ span: member.span, depth: i + 1 }, walkTerraform(index, member.value, path, i + 1));
}

/** Blocks named `name` in a body, static and dynamic, in source order. */
function nestedBlocks(index: JsonRangeIndex, body: Span, name: string): JsonBlock[] {
  const blocks: JsonBlock[] = [];
  const direct = index.member(body, name);
  if (direct) {
    if (index.isArray(direct.value)) {
      for (const element of index.elements(direct.value)) blocks.push({ span: element, bodies: [element] });
    } else if (index.isObject(direct.value)) {
      blocks.push({ span: direct.span, bodies: [direct.value] });
    }
  }
  const dynamic = index.member(body, 'dynamic');
  const groups = dynamic ? (index.isArray(dynamic.value) ? index.elements(dynamic.value) : [dynamic.value]) : [];
  for (const group of groups) {
    const named = index.member(group, name);
    if (!named) continue;
    const list = index.isArray(named.value) ? index.elements(named.value) : [named.value];
    for (const element of list) {
      if (!index.isObject(element)) continue;
      const content = index.member(element, 'content');
      const span = list.length === 1 && !index.isArray(named.value) ? named.span : element;
      blocks.push({ span, bodies: content ? [content.value, element] : [element] });
    }
  }
  return blocks.sort((a, b) => a.span.start - b.span.start);
}
