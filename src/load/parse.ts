/**
 * Reads Terraform files into the JSON shape hcl2json produces (block type → labels → [bodies],
 * nested blocks as arrays of objects, every string a template). `.tf.json` files are brought to
 * the same shape, so everything after this step sees one form.
 */
import * as fs from 'fs';
import { parse as hcl2json } from '@cdktf/hcl2json';
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
const LABELS: Record<string, number> = { resource: 2, data: 2, module: 1, variable: 1, output: 1, provider: 1, check: 1, import: 0, moved: 0, removed: 0, locals: 0, terraform: 0 };

export function readText(file: string, maxBytes = MAX_FILE_BYTES): { text: string } | { diagnostic: Diagnostic } {
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) return { diagnostic: { level: 'error', code: 'read-error', file, message: 'is a directory, not a file' } };
    if (st.size > maxBytes) return { diagnostic: { level: 'error', code: 'limit', file, message: `file is ${(st.size / 1048576).toFixed(1)} MB, over the ${maxBytes / 1048576} MB limit; not read` } };
    buf = fs.readFileSync(file);
  } catch (e) {
    return { diagnostic: { level: 'error', code: 'read-error', file, message: `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` } };
  }
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    return { diagnostic: { level: 'error', code: 'read-error', file, line: 1, column: 1, message: 'file is UTF-16 encoded (as PowerShell\'s ">" writes it); save it as UTF-8, e.g. `terraform show -json tfplan | Out-File -Encoding utf8 plan.json`' } };
  }
  if (buf.includes(0)) return { diagnostic: { level: 'error', code: 'parse-error', file, line: lineOfByte(buf, buf.indexOf(0)), message: 'file contains binary data (NUL byte); not a Terraform text file' } };
  return { text: buf.toString('utf8').replace(/^\uFEFF/, '') };
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
  try {
    const body = (await hcl2json(file, text)) as JsonObject;
    return { ok: true, parsed: { file, body: body ?? {}, json: false } };
  } catch (e) {
    return { ok: false, diagnostic: hclError(file, e) };
  }
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
  const isVars = /\.tfvars\.json$/.test(file);
  return { ok: true, parsed: { file, body: isVars ? (doc as JsonObject) : normalizeJsonConfig(doc as JsonObject), json: true } };
}

export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: offset - last };
}

/** Brings Terraform's JSON syntax to hcl2json's shape: label levels end in arrays of bodies. */
function normalizeJsonConfig(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [type, v] of Object.entries(doc)) {
    if (type === '//') continue; // JSON-syntax comment
    const labels = LABELS[type];
    out[type] = labels === undefined ? v : wrapLabels(v, labels);
  }
  return out;
}

function wrapLabels(v: unknown, depth: number): unknown {
  if (depth === 0) return (Array.isArray(v) ? v : [v]).filter((b) => b && typeof b === 'object');
  if (Array.isArray(v)) {
    // A label level written as an array of objects: merge them.
    const merged: JsonObject = {};
    for (const item of v) if (item && typeof item === 'object') Object.assign(merged, item);
    v = merged;
  }
  if (!v || typeof v !== 'object') return {};
  const out: JsonObject = {};
  for (const [k, inner] of Object.entries(v as JsonObject)) out[k] = wrapLabels(inner, depth - 1);
  return out;
}
