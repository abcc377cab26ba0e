/**
 * Reads Terraform files into the JSON shape hcl2json produces (block type → labels → [bodies],
 * nested blocks as arrays of objects, every string a template). `.tf.json` files are brought to
 * the same shape, so everything after this step sees one form.
 */
import * as fs from 'fs';
import { HclParserUnavailable, MAX_NESTING, nestingProblem, parseHcl } from './hcl2json';
import type { Diagnostic } from '../model/model';

export type JsonObject = { [key: string]: unknown };

export interface ParsedFile {
  readonly file: string;
  readonly body: JsonObject;
  /** `.tf.json` / `.tfvars.json`: the pointer kind stays HCL but addresses JSON structure. */
  readonly json: boolean;
}

export type ParseOutcome = { ok: true; parsed: ParsedFile } | { ok: false; diagnostic: Diagnostic };

/** Files larger than this are refused with a clear message rather than risking memory. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** Block types whose labels nest as maps in the JSON form, and how many labels each has. */
const LABELS: Record<string, number> = { resource: 2, data: 2, ephemeral: 2, module: 1, variable: 1, output: 1, provider: 1, check: 1, import: 0, moved: 0, removed: 0, locals: 0, terraform: 0 };

export function readText(file: string, maxBytes = MAX_FILE_BYTES): { text: string } | { diagnostic: Diagnostic } {
  let buf: Buffer;
  let fd: number | undefined;
  try {
    // One open and one fstat (not a stat of the path, then readFileSync's own open and fstat).
    fd = fs.openSync(file, 'r');
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return { diagnostic: isDirectory(file) };
    if (st.size > maxBytes) return { diagnostic: overLimit(file, st.size, maxBytes) };
    const read = readAll(fd, st.isFile() ? st.size : 0, maxBytes);
    if (!read) return { diagnostic: overLimit(file, maxBytes + 1, maxBytes) };
    buf = read;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { diagnostic: isDirectory(file) };
    return { diagnostic: { level: 'error', code: 'read-error', file, message: `cannot read file: ${code ?? (e as Error).message}` } };
  } finally {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* nothing to do */ }
  }
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return { diagnostic: { level: 'error', code: 'read-error', file, line: 1, column: 1, message: 'file is UTF-16 encoded (as PowerShell\'s ">" writes it); save it as UTF-8, e.g. `terraform show -json tfplan | Out-File -Encoding utf8 plan.json`' } };
  }
  if (buf.includes(0)) return { diagnostic: { level: 'error', code: 'parse-error', file, line: lineOfByte(buf, buf.indexOf(0)), message: 'file contains binary data (NUL byte); not a Terraform text file' } };
  return { text: buf.toString('utf8').replace(/^\uFEFF/, '') };
}

function isDirectory(file: string): Diagnostic {
  return { level: 'error', code: 'read-error', file, message: 'is a directory, not a file' };
}

function overLimit(file: string, size: number, maxBytes: number): Diagnostic {
  return { level: 'error', code: 'limit', file, message: `file is ${(size / 1048576).toFixed(1)} MB, over the ${maxBytes / 1048576} MB limit; not read` };
}

/** The whole content of an open file: `size` bytes for a regular file, else (pipes, /dev/stdin)
 *  until the end; undefined when it runs past `maxBytes`. */
function readAll(fd: number, size: number, maxBytes: number): Buffer | undefined {
  if (size > 0) {
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, null);
      if (n === 0) break; // the file shrank meanwhile
      got += n;
    }
    return got === size ? buf : buf.subarray(0, got);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(65536);
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > maxBytes) return undefined;
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

function lineOfByte(buf: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (buf[i] === 10) line++;
  return line;
}

/** Parses one `.tf`, `.tf.json`, `.tfvars` or `.tfvars.json` file. */
export async function parseFile(file: string, text?: string): Promise<ParseOutcome> {
  if (text === undefined) {
    const r = readText(file);
    if ('diagnostic' in r) return { ok: false, diagnostic: r.diagnostic };
    text = r.text;
  }
  if (file.endsWith('.json')) return parseJsonFile(file, text);
  const simple = file.endsWith('.tfvars') ? simpleTfvars(text) : undefined;
  if (simple) return { ok: true, parsed: { file, body: simple, json: false } };
  const tooDeep = nestingProblem(text);
  if (tooDeep) return { ok: false, diagnostic: { level: 'error', code: 'limit', file, ...lineCol(text, tooDeep.offset), message: tooDeep.message } };
  try {
    const body = (await parseHcl(file, text)) as JsonObject;
    return { ok: true, parsed: { file, body: body && typeof body === 'object' ? body : {}, json: false } };
  } catch (e) {
    if (e instanceof HclParserUnavailable) return { ok: false, diagnostic: { level: 'error', code: 'parse-error', file, message: `${e.message}; not parsed` } };
    return { ok: false, diagnostic: hclError(file, e) };
  }
}

/** `name = literal` lines only: a plain string (no escapes or templates), a number, true, false or null. */
const SIMPLE_ASSIGNMENT = /^[ \t]*([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=[ \t]*(?:"([^"\\$%]*)"|(-?\d+(?:\.\d+)?)|(true|false|null))[ \t]*$/;
const BLANK_OR_COMMENT = /^[ \t]*(?:(?:#|\/\/).*)?$/;

/**
 * Most tfvars files are a handful of `name = "value"` lines, one per root module of a monorepo;
 * those are read here as hcl2json would read them, without a call into its WebAssembly. Anything
 * else (a list, a map, an escape, a heredoc, a repeated name) returns undefined and goes to hcl2json.
 */
export function simpleTfvars(text: string): JsonObject | undefined {
  const out: JsonObject = {};
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (BLANK_OR_COMMENT.test(line)) continue;
    const m = SIMPLE_ASSIGNMENT.exec(line);
    if (!m || m[1] === '__proto__' || Object.prototype.hasOwnProperty.call(out, m[1])) return undefined;
    out[m[1]] = m[2] !== undefined ? m[2] : m[3] !== undefined ? Number(m[3]) : m[4] === 'null' ? null : m[4] === 'true';
  }
  return out;
}

/** hcl2json reports `parse config: [file:L,C-L,C: Summary; Detail]`; keep the first error's place and words. */
function hclError(file: string, e: unknown): Diagnostic {
  const raw = e instanceof Error ? e.message : String(e);
  const m = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^\]]*)/.exec(raw);
  if (m) return { level: 'error', code: 'parse-error', file, line: Number(m[1]), column: Number(m[2]), message: `HCL syntax error: ${m[3].trim()}` };
  return { level: 'error', code: 'parse-error', file, message: `HCL syntax error: ${raw.replace(/^parse config: /, '').replace(/\s+/g, ' ').slice(0, 300)}` };
}

export function parseJsonFile(file: string, text: string): ParseOutcome {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const at = /position (\d+)/.exec(msg);
    const pos = at ? lineCol(text, Number(at[1])) : undefined;
    return { ok: false, diagnostic: { level: 'error', code: 'parse-error', file, ...(pos ?? {}), message: `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}` } };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, diagnostic: { level: 'error', code: 'parse-error', file, line: 1, column: 1, message: 'a Terraform JSON file must hold an object at the top level' } };
  }
  const deep = jsonNestingOffset(text, MAX_NESTING);
  if (deep !== undefined) {
    return { ok: false, diagnostic: { level: 'error', code: 'limit', file, ...lineCol(text, deep), message: `nested more than ${MAX_NESTING} levels deep; not parsed` } };
  }
  const isVars = /\.tfvars\.json$/.test(file);
  return { ok: true, parsed: { file, body: isVars ? (doc as JsonObject) : normalizeJsonConfig(doc as JsonObject), json: true } };
}

/** Where valid JSON text first opens more than `max` objects/arrays at once (strings skipped). */
export function jsonNestingOffset(text: string, max: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return undefined;
}

/** 1-based line and column of a string offset. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Brings Terraform's JSON syntax to hcl2json's shape: label levels end in arrays of bodies, and
 *  nested blocks the rules read, when written as one object, become a list of one block. */
function normalizeJsonConfig(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [type, v] of Object.entries(doc)) {
    if (type === '//') continue; // JSON-syntax comment
    const labels = Object.hasOwn(LABELS, type) ? LABELS[type] : undefined;
    setOwn(out, type, labels === undefined ? v : wrapLabels(v, labels));
  }
  for (const kind of ['resource', 'data'] as const) {
    const byType = out[kind];
    if (!byType || typeof byType !== 'object') continue;
    for (const [type, byName] of Object.entries(byType as JsonObject)) {
      const key = kind === 'data' ? `data.${type}` : type;
      const tree = Object.hasOwn(NESTED_BLOCKS, key) ? NESTED_BLOCKS[key] : undefined;
      if (!tree || !byName || typeof byName !== 'object') continue;
      for (const bodies of Object.values(byName as JsonObject)) {
        if (Array.isArray(bodies)) for (const b of bodies) if (b && typeof b === 'object') wrapBlocks(b as JsonObject, tree);
      }
    }
  }
  return out;
}

/**
 * Nested block types (and the blocks nested in them) of the resources whose blocks the rules
 * follow by position (`vpc_config[*].security_group_ids`). In JSON syntax a block may be one
 * object or an array of objects; only the schema tells a block from a map attribute, so the
 * ones that matter are listed here (names from the AWS provider schema).
 */
type BlockTree = { readonly [name: string]: BlockTree };
const LEAF: BlockTree = {};
const CACHE_BEHAVIOR: BlockTree = { lambda_function_association: LEAF, function_association: LEAF, forwarded_values: { cookies: LEAF } };
const NETWORK: BlockTree = { network_configuration: LEAF, capacity_provider_strategy: LEAF, placement_constraints: LEAF };
const POLICY_STATEMENT: BlockTree = { statement: { principals: LEAF, not_principals: LEAF, condition: LEAF } };
const NESTED_BLOCKS: Readonly<Record<string, BlockTree>> = {
  aws_lambda_function: { vpc_config: LEAF, environment: LEAF, dead_letter_config: LEAF, tracing_config: LEAF, image_config: LEAF, ephemeral_storage: LEAF, file_system_config: LEAF, snap_start: LEAF, logging_config: LEAF },
  aws_cloudfront_distribution: { default_cache_behavior: CACHE_BEHAVIOR, ordered_cache_behavior: CACHE_BEHAVIOR, origin: { custom_origin_config: LEAF, s3_origin_config: LEAF } },
  aws_security_group: { ingress: LEAF, egress: LEAF },
  aws_iam_role: { inline_policy: LEAF },
  'data.aws_iam_policy_document': POLICY_STATEMENT,
  aws_ecs_service: { ...NETWORK, load_balancer: LEAF },
  aws_ecs_task_definition: { runtime_platform: LEAF },
  aws_cloudwatch_event_target: { ecs_target: NETWORK },
  aws_scheduler_schedule: { target: { ecs_parameters: NETWORK } },
  aws_lb_target_group: { health_check: LEAF },
};

/** A `"//"` property of a block body is a comment in Terraform's JSON syntax (CDKTF puts metadata there). */
function withoutComment(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('//' in body)) return body;
  const { ['//']: _comment, ...rest } = body as JsonObject;
  return rest;
}

function wrapBlocks(body: JsonObject, tree: BlockTree): void {
  for (const [name, sub] of Object.entries(tree)) {
    const v = body[name];
    if (!v || typeof v !== 'object') continue;
    const list = (Array.isArray(v) ? v : [v]).map(withoutComment);
    body[name] = list;
    for (const b of list) if (b && typeof b === 'object' && !Array.isArray(b)) wrapBlocks(b as JsonObject, sub);
  }
}

function wrapLabels(v: unknown, depth: number): unknown {
  if (depth === 0) return (Array.isArray(v) ? v : [v]).filter((b) => b && typeof b === 'object').map(withoutComment);
  if (Array.isArray(v)) {
    // A label level written as an array of objects: merge them.
    const merged: JsonObject = {};
    for (const item of v) if (item && typeof item === 'object') for (const [k, x] of Object.entries(item)) setOwn(merged, k, x);
    v = merged;
  }
  if (!v || typeof v !== 'object') return {};
  const out: JsonObject = {};
  for (const [k, inner] of Object.entries(v as JsonObject)) setOwn(out, k, wrapLabels(inner, depth - 1));
  return out;
}

/** Sets an own property, also for a name like `__proto__` (a valid Terraform name), which plain
 *  assignment would turn into a change of the object's prototype. */
function setOwn(o: JsonObject, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}
