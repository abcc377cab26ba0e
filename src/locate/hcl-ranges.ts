/**
 * The range index of an HCL file (`.tf`, `.tfvars`): blocks, attributes and the elements of
 * literal tuples/objects with their extents, read once from a tree-sitter parse. The tree itself
 * is freed right away (it lives in WebAssembly memory); only this small outline is kept.
 */
import type { Node, Parser } from 'web-tree-sitter';
import type { PathStep } from '../model/source';
import { deeper, stepIndex, type Resolved, type TextSpan } from './locator';

interface HclBlock {
  readonly kind: 'block';
  readonly span: TextSpan;
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: HclBody;
}

interface HclAttribute {
  readonly kind: 'attribute';
  readonly span: TextSpan;
  readonly name: string;
  readonly value: HclValue;
}

type HclBody = readonly (HclBlock | HclAttribute)[];

/** A value; only literal tuples and objects are looked into. */
type HclValue =
  | { readonly kind: 'tuple'; readonly span: TextSpan; readonly items: readonly HclValue[] }
  | { readonly kind: 'object'; readonly span: TextSpan; readonly entries: readonly HclEntry[] }
  | { readonly kind: 'other'; readonly span: TextSpan };

/** `key = value` inside an object; key undefined when computed (`(var.k) = …`, `"${x}" = …`). */
interface HclEntry {
  readonly span: TextSpan;
  readonly key: string | undefined;
  readonly value: HclValue;
}

export class HclRangeIndex {
  private constructor(private readonly body: HclBody) {}

  /** Parses `text` (offsets are its string indices: web-tree-sitter reports UTF-16 units). */
  static parse(parser: Parser, text: string): HclRangeIndex | undefined {
    let tree;
    try {
      tree = parser.parse(text);
    } catch {
      return undefined;
    }
    if (!tree) return undefined;
    try {
      const items: (HclBlock | HclAttribute)[] = [];
      collectBody(tree.rootNode, text, items);
      return new HclRangeIndex(items);
    } finally {
      tree.delete();
    }
  }

  /** The deepest block/attribute/element the path reaches; undefined if not even its first step. */
  resolve(path: readonly PathStep[]): Resolved | undefined {
    return resolveBody(this.body, path, 0, true);
  }
}

function named(node: Node): Node[] {
  const out: Node[] = [];
  for (const child of node.namedChildren) if (child && child.type !== 'comment') out.push(child);
  return out;
}

function spanOf(node: Node): TextSpan {
  return { start: node.startIndex, end: node.endIndex };
}

/** Blocks and attributes of a body; parse-error nodes are looked through so a typo elsewhere
 *  does not hide the rest of the file. */
function collectBody(node: Node, text: string, out: (HclBlock | HclAttribute)[]): void {
  for (const child of named(node)) {
    if (child.type === 'block') out.push(readBlock(child, text));
    else if (child.type === 'attribute') {
      const attribute = readAttribute(child, text);
      if (attribute) out.push(attribute);
    } else if (child.type === 'body' || child.type === 'ERROR') collectBody(child, text, out);
  }
}

function readBlock(node: Node, text: string): HclBlock {
  let type = '';
  const labels: string[] = [];
  const body: (HclBlock | HclAttribute)[] = [];
  for (const child of named(node)) {
    if (child.type === 'identifier') {
      const name = text.slice(child.startIndex, child.endIndex);
      if (type === '') type = name;
      else labels.push(name);
    } else if (child.type === 'string_lit') {
      labels.push(stringContent(child, text) ?? '');
    } else if (child.type === 'body' || child.type === 'ERROR') {
      collectBody(child, text, body);
    }
  }
  return { kind: 'block', span: spanOf(node), type, labels, body };
}

function readAttribute(node: Node, text: string): HclAttribute | undefined {
  const parts = named(node);
  const name = parts.find((p) => p.type === 'identifier');
  const expression = parts.find((p) => p.type === 'expression');
  if (!name) return undefined;
  const value: HclValue = expression ? readValue(expression, text) : { kind: 'other', span: spanOf(node) };
  return { kind: 'attribute', span: spanOf(node), name: text.slice(name.startIndex, name.endIndex), value };
}

function readValue(expression: Node, text: string): HclValue {
  const span = spanOf(expression);
  const parts = named(expression);
  // Only a bare collection literal is looked into; `[a, b][0]` or `merge({…}, x)` are not.
  if (parts.length !== 1 || parts[0].type !== 'collection_value') return { kind: 'other', span };
  const collection = named(parts[0])[0];
  if (collection?.type === 'tuple') {
    const items = named(collection)
      .filter((n) => n.type === 'expression')
      .map((n) => readValue(n, text));
    return { kind: 'tuple', span, items };
  }
  if (collection?.type === 'object') {
    const entries: HclEntry[] = [];
    for (const element of named(collection)) {
      if (element.type !== 'object_elem') continue;
      const [key, value] = named(element).filter((n) => n.type === 'expression');
      if (!key || !value) continue;
      entries.push({ span: spanOf(element), key: objectKey(key, text), value: readValue(value, text) });
    }
    return { kind: 'object', span, entries };
  }
  return { kind: 'other', span };
}

/** `name`, `"name"` or `1` as an object key; undefined when computed. */
function objectKey(expression: Node, text: string): string | undefined {
  const parts = named(expression);
  if (parts.length !== 1) return undefined;
  const part = parts[0];
  if (part.type === 'variable_expr') return text.slice(part.startIndex, part.endIndex);
  if (part.type === 'literal_value') {
    const literal = named(part)[0];
    if (literal?.type === 'string_lit') return stringContent(literal, text);
    return text.slice(part.startIndex, part.endIndex);
  }
  return undefined;
}

/** The value of a quoted string without interpolation, undefined when it has any. */
function stringContent(node: Node, text: string): string | undefined {
  const parts = named(node);
  if (parts.some((p) => p.type === 'template_interpolation' || p.type === 'template_directive')) return undefined;
  const raw = text.slice(node.startIndex + 1, node.endIndex - 1);
  return unescapeHcl(raw);
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

function unescapeHcl(raw: string): string {
  if (raw.indexOf('\\') < 0 && raw.indexOf('$${') < 0 && raw.indexOf('%%{') < 0) return raw;
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (all: string, escape: string | undefined) => {
    if (all === '$${') return '${';
    if (all === '%%{') return '%{';
    if (escape && (escape[0] === 'u' || escape[0] === 'U')) return String.fromCodePoint(parseInt(escape.slice(1), 16));
    return escape !== undefined ? (ESCAPES[escape] ?? escape) : all;
  });
}

/**
 * At the top level a step names a block type followed by its labels (or a tfvars attribute);
 * inside a block it names an attribute, or nested blocks followed by an index among those of
 * that name (`dynamic "x"` counts as an x). Several candidates (two `locals` blocks) are all
 * tried and the one that gets furthest wins.
 */
function resolveBody(body: HclBody, path: readonly PathStep[], i: number, topLevel: boolean): Resolved | undefined {
  const step = path[i];
  if (typeof step !== 'string') return undefined;
  let best: Resolved | undefined;
  for (const item of body) {
    if (item.kind === 'attribute' && item.name === step) {
      best = deeper(best, deeper({ span: item.span, depth: i + 1 }, resolveValue(item.value, path, i + 1)));
    }
  }
  if (topLevel) {
    for (const item of body) {
      if (item.kind !== 'block' || item.type !== step) continue;
      let k = 0;
      while (k < item.labels.length && i + 1 + k < path.length && path[i + 1 + k] === item.labels[k]) k++;
      const complete = k === item.labels.length;
      if (!complete && i + 1 + k < path.length) continue; // a label differs
      const depth = i + 1 + k;
      best = deeper(best, deeper({ span: item.span, depth }, complete ? resolveInBlock(item, path, depth) : undefined));
    }
    return best;
  }
  const blocks = body.filter(
    (b): b is HclBlock => b.kind === 'block' && (b.type === 'dynamic' ? b.labels[0] === step : b.type === step),
  );
  if (blocks.length === 0) return best;
  const next = path[i + 1];
  if (typeof next === 'number') {
    const block = blocks[next];
    if (block) best = deeper(best, deeper({ span: block.span, depth: i + 2 }, resolveInBlock(block, path, i + 2)));
  } else {
    // No index given: the first block of that name.
    best = deeper(best, deeper({ span: blocks[0].span, depth: i + 1 }, resolveInBlock(blocks[0], path, i + 1)));
  }
  return best;
}

function resolveInBlock(block: HclBlock, path: readonly PathStep[], i: number): Resolved | undefined {
  if (i >= path.length) return undefined;
  if (block.type === 'dynamic') {
    // Attributes of the generated block are in `content`; for_each/iterator in the dynamic body.
    const content = block.body.find((b): b is HclBlock => b.kind === 'block' && b.type === 'content');
    const inContent = content ? resolveBody(content.body, path, i, false) : undefined;
    return deeper(inContent, resolveBody(block.body, path, i, false));
  }
  return resolveBody(block.body, path, i, false);
}

/** Narrows into a literal tuple (by index) or object (by key; the `key = value` element). */
function resolveValue(value: HclValue, path: readonly PathStep[], i: number): Resolved | undefined {
  if (i >= path.length) return undefined;
  const step = path[i];
  if (value.kind === 'tuple') {
    const index = stepIndex(step);
    const item = index === undefined ? undefined : value.items[index];
    if (!item) return undefined;
    return deeper({ span: item.span, depth: i + 1 }, resolveValue(item, path, i + 1));
  }
  if (value.kind === 'object') {
    const key = String(step);
    let entry: HclEntry | undefined;
    for (const e of value.entries) if (e.key === key) entry = e; // last wins, as in evaluation
    if (!entry) return undefined;
    return deeper({ span: entry.span, depth: i + 1 }, resolveValue(entry.value, path, i + 1));
  }
  return undefined;
}
