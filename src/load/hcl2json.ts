/**
 * `@cdktf/hcl2json` behind guards. Its parser is Go compiled to WebAssembly, and Go's recursion
 * runs on the JavaScript stack: input nested deeper than about 400–1,000 levels overflows it in
 * the middle of Go code, which can leave the Go runtime holding a lock. The next call then dies
 * with "fatal error: malloc deadlock", its promise never settles, and Node exits with status 0 —
 * a crash that looks like a clean pass. So: input nested too deeply is refused before the call
 * (no real configuration comes near the limits), the runtime is started with an empty file and
 * then called directly (its callback is synchronous, so a call that never answers is seen at once),
 * and after any failure inside the runtime it is not called again.
 */
import { parse as hcl2jsonParse } from '@cdktf/hcl2json';

/** Brackets, braces and parentheses open at once (templates count by their `${`). */
export const MAX_NESTING = 256;
/** A run of unary operators (`!!!!x`, `- - - 1`), each a level of recursion without brackets. */
const MAX_UNARY_RUN = 1000;
/** Conditionals in one attribute (`a ? b : c ? d : …` nests to the right). */
const MAX_CONDITIONALS = 5000;

export class HclParserUnavailable extends Error {}

type GoCallback = (err: unknown, json?: string) => void;
type GoParse = (file: string, text: string, cb: GoCallback) => void;

/** Why the runtime must not be called again, once something went wrong inside it. */
let broken: string | undefined;

/** Why `text` is too deeply nested to give to the parser, with the offset where it goes too deep. */
export function nestingProblem(text: string): { message: string; offset: number } | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 || c === 0x5b || c === 0x7b) {
      if (++depth > MAX_NESTING) return { message: `nested more than ${MAX_NESTING} levels deep (brackets, braces, parentheses); not parsed`, offset: i };
    } else if ((c === 0x29 || c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  const unary = unaryRun(text);
  if (unary !== undefined) return { message: `a run of more than ${MAX_UNARY_RUN} unary operators; not parsed`, offset: unary };
  if (count(text, '?') > MAX_CONDITIONALS) {
    // Only a long chain within one attribute nests; many conditionals across a file are fine.
    let start = 0;
    for (const m of text.matchAll(/^[ \t]*[A-Za-z_][A-Za-z0-9_-]*[ \t]*=/gm)) {
      if (count(text.slice(start, m.index), '?') > MAX_CONDITIONALS) return { message: `more than ${MAX_CONDITIONALS} chained conditionals in one attribute; not parsed`, offset: start };
      start = m.index;
    }
    if (count(text.slice(start), '?') > MAX_CONDITIONALS) return { message: `more than ${MAX_CONDITIONALS} chained conditionals in one attribute; not parsed`, offset: start };
  }
  return undefined;
}

/** Where a run of more than MAX_UNARY_RUN `!`/`-` (spaces between allowed) starts; one pass. */
function unaryRun(text: string): number | undefined {
  let run = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x21 || c === 0x2d) {
      if (run++ === 0) start = i;
      if (run > MAX_UNARY_RUN) return start;
    } else if (c !== 0x20 && c !== 0x09) {
      run = 0;
    }
  }
  return undefined;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** The runtime's own parse function, present once it has started. */
function startedRuntime(): GoParse | undefined {
  const root = (globalThis as { __parse_terraform_config_wasm__?: { parse?: unknown } }).__parse_terraform_config_wasm__;
  return typeof root?.parse === 'function' ? (root.parse as GoParse) : undefined;
}

/**
 * Parses HCL into hcl2json's JSON shape. Rejects with the parser's message for invalid HCL, and
 * with HclParserUnavailable once the runtime cannot be trusted. A large file is parsed as a few
 * pieces cut between top-level blocks (see topLevelPieces), and the pieces' results merged.
 */
export async function parseHcl(file: string, text: string, pieceSize = PIECE_SIZE): Promise<unknown> {
  if (broken) throw new HclParserUnavailable(broken);
  const direct = startedRuntime();
  if (!direct) return guardedFirstCall(file, text, pieceSize);
  const pieces = text.length > pieceSize * 2 && file.endsWith('.tf') ? topLevelPieces(text, pieceSize) : undefined;
  if (pieces && pieces.length > 1) {
    const merged: Record<string, unknown> = {};
    let whole = false;
    for (const piece of pieces) {
      const r = callRuntime(direct, file, piece);
      // Any problem with a piece: the whole file decides (and its errors carry true positions).
      if (!r.ok || !r.value || typeof r.value !== 'object' || !mergeInto(merged, r.value as Record<string, unknown>)) {
        whole = true;
        break;
      }
    }
    if (!whole) return sortedLabelMaps(merged);
  }
  const r = callRuntime(direct, file, text);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

function callRuntime(direct: GoParse, file: string, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  let answered = false;
  let failure: unknown;
  let json: string | undefined;
  try {
    direct(file, text, (err, out) => {
      answered = true;
      if (err) failure = err;
      else json = out;
    });
  } catch (e) {
    broken = `the HCL parser failed on ${file} (${(e as Error).message}) and cannot be used again in this run`;
    throw new HclParserUnavailable(`the HCL parser failed on this file: ${(e as Error).message}`);
  }
  if (!answered) {
    broken = `the HCL parser stopped while reading ${file}`;
    throw new HclParserUnavailable('the HCL parser stopped while reading this file');
  }
  if (failure !== undefined) return { ok: false, message: String(failure) };
  return { ok: true, value: JSON.parse(json ?? 'null') };
}

let starting: Promise<void> | undefined;

/**
 * Starts the runtime (gunzip and compile of the Go WebAssembly) once. The CLI calls this first
 * thing, so the compile overlaps with loading the rest of the linter.
 */
export function startHclParser(): Promise<void> {
  starting ??= hcl2jsonParse('start.tf', '').then(() => undefined);
  return starting;
}

/** Starts the runtime through the package's own entry point, with an empty file. */
async function guardedFirstCall(file: string, text: string, pieceSize: number): Promise<unknown> {
  try {
    await startHclParser();
  } catch (e) {
    broken = `the HCL parser could not start (${(e as Error).message})`;
    throw new HclParserUnavailable(broken);
  }
  if (!startedRuntime()) return hcl2jsonParse(file, text); // the package changed inside: use it as documented
  return parseHcl(file, text, pieceSize);
}

// ---------- large files ----------

/**
 * Size of the pieces a large file is parsed in. One call into the runtime runs start to end on
 * whatever code V8 had compiled when it began, so a single multi-megabyte call never benefits from
 * V8 optimising the parser meanwhile, and the Go heap grows to hold the whole file at once (a 5 MB
 * file: 7 s and 1.2 GB). Pieces of this size parse in about half the time and a fraction of the memory.
 */
export const PIECE_SIZE = 64 * 1024;

/**
 * The text cut into pieces of at least `size` characters, each ending after the newline that
 * follows a top-level block's closing brace. Strings, templates, heredocs and comments are
 * stepped over. Undefined when the text does not scan cleanly (the caller parses it whole).
 */
export function topLevelPieces(text: string, size: number): string[] | undefined {
  const pieces: string[] = [];
  let start = 0;
  /** Open contexts: a number is a code context's bracket depth, 's' a quoted string. */
  const stack: (number | 's')[] = [0];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (top === 's') {
      if (c === '\\') i += 2;
      else if (c === '"') { stack.pop(); i++; }
      else if (c === '\n') return undefined; // quoted strings end on their line
      else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
      else if ((c === '$' || c === '%') && text[i + 1] === '{') { stack.push(0); i += 2; }
      else i++;
      continue;
    }
    if (c === '"') { stack.push('s'); i++; continue; }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 200));
      if (!m) return undefined;
      const end = new RegExp(`^[ \\t]*${m[1]}[ \\t]*\\r?$`, 'gm');
      end.lastIndex = i + m[0].length;
      const close = end.exec(text);
      if (!close) return undefined;
      i = close.index + close[0].length;
      continue;
    }
    if (c === '=' && top === 0 && stack.length === 1) return undefined; // a top-level attribute: not a block file
    if (c === '{' || c === '[' || c === '(') {
      stack[stack.length - 1] = (top as number) + 1;
      i++;
      continue;
    }
    if (c === '}' || c === ']' || c === ')') {
      if (top === 0) {
        if (stack.length === 1 || c !== '}') return undefined; // unbalanced
        stack.pop(); // the end of a template interpolation
        i++;
        continue;
      }
      stack[stack.length - 1] = (top as number) - 1;
      i++;
      if (stack.length === 1 && top === 1 && c === '}' && i - start >= size) {
        const eol = text.indexOf('\n', i);
        if (eol < 0) break;
        if (text.slice(i, eol).trim() !== '') continue; // something follows on the line
        pieces.push(text.slice(start, eol + 1));
        start = eol + 1;
        i = eol + 1;
      }
      continue;
    }
    i++;
  }
  if (stack.length !== 1 || stack[0] !== 0) return undefined;
  if (start < n) pieces.push(text.slice(start));
  return pieces;
}

/** Merges one piece's result into the file's: label maps merge, block lists concatenate, as
 *  hcl2json does within one file. False when the two cannot be put together that way. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(source)) {
    if (!Object.hasOwn(target, k)) {
      if (k === '__proto__') Object.defineProperty(target, k, { value: v, writable: true, enumerable: true, configurable: true });
      else target[k] = v;
      continue;
    }
    const t = target[k];
    if (Array.isArray(t) && Array.isArray(v)) for (const x of v) t.push(x);
    else if (isPlainObject(t) && isPlainObject(v)) {
      if (!mergeInto(t, v)) return false;
    } else return false;
  }
  return true;
}

/** hcl2json's Go side writes object keys sorted; merged maps are put back in that order (arrays,
 *  which hold the block bodies, are left alone: merging never changes inside them). */
function sortedLabelMaps(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) {
    const v = isPlainObject(o[k]) ? sortedLabelMaps(o[k] as Record<string, unknown>) : o[k];
    if (k === '__proto__') Object.defineProperty(out, k, { value: v, writable: true, enumerable: true, configurable: true });
    else out[k] = v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
