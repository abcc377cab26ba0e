/**
 * `--format text`: for people at a terminal. Input problems first, then findings grouped by file
 * with related locations and a code frame, then one summary line. Colour is an addition only:
 * the words say everything. Text from the linted files is shown with control characters replaced,
 * so a crafted `.tf` cannot drive the terminal.
 */
import type { Diagnostic } from '../model/model';
import type { Location, Region } from '../model/source';
import type { Level } from '../rule';
import { summarize } from './json';
import { cleanRegion, displayPath, isPositiveInt, placeAll, type PlacedFinding } from './paths';
import type { LintResult } from './result';

export interface TextOptions {
  readonly color: boolean;
  /** Lines of a file, for code frames; without it (or when it returns none) frames are left out. */
  readonly readLines?: (file: string) => readonly string[];
}

const CONTEXT_LINES = 2;
/** Regions longer than this show their first lines and last line only. */
const MAX_REGION_LINES = 6;
/** Code frames show at most this many characters of a line, scrolled to the region. */
const MAX_LINE_CHARS = 160;

type Paint = (style: keyof typeof STYLE, s: string) => string;

const STYLE = {
  error: ['\u001b[31m', '\u001b[39m'],
  warning: ['\u001b[33m', '\u001b[39m'],
  note: ['\u001b[36m', '\u001b[39m'],
  ok: ['\u001b[32m', '\u001b[39m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  bold: ['\u001b[1m', '\u001b[22m'],
  underline: ['\u001b[4m', '\u001b[24m'],
} as const;

export function formatText(result: LintResult, opts: TextOptions): string {
  const paint: Paint = opts.color ? (style, s) => STYLE[style][0] + s + STYLE[style][1] : (_style, s) => s;
  const readLines = safeReader(opts.readLines);
  const out: string[] = [];

  if (result.diagnostics.length > 0) {
    out.push(paint('bold', 'Input problems'));
    for (const d of result.diagnostics) out.push(diagnosticLine(result.cwd, d, paint));
    out.push('');
  }

  for (const group of groupByFile(result)) {
    out.push(paint('underline', clean(group.path)));
    const width = Math.max(...group.items.map((i) => position(i.location.region).length));
    let framed = false;
    for (const item of group.items) {
      const block = findingBlock(result.cwd, item, width, readLines, paint);
      // A blank line after a code frame keeps the next finding from reading as part of it.
      if (framed) out.push('');
      out.push(...block.lines);
      framed = block.framed;
    }
    out.push('');
  }

  out.push(summaryLine(result, paint));
  return out.join('\n') + '\n';
}

interface ShownFinding {
  readonly placed: PlacedFinding;
  /** Relative path when inside cwd, else absolute (text only). */
  readonly path: string;
  readonly absolute: boolean;
  readonly location: Location;
}

/** Files in order: relative paths as sorted by placeAll, then files outside cwd by absolute path. */
function groupByFile(result: LintResult): { path: string; items: ShownFinding[] }[] {
  const shown: ShownFinding[] = [];
  for (const p of placeAll(result.cwd, result.findings)) {
    if (p.finding.suppression) continue;
    if (p.primary) shown.push({ placed: p, path: p.primary.path, absolute: false, location: p.primary.location });
    else if (p.finding.location) {
      shown.push({ placed: p, path: displayPath(result.cwd, p.finding.location.file), absolute: true, location: p.finding.location });
    }
  }
  const inside = shown.filter((s) => !s.absolute);
  const outside = shown
    .filter((s) => s.absolute)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || cleanRegion(a.location.region).startLine - cleanRegion(b.location.region).startLine);
  const groups = new Map<string, ShownFinding[]>();
  for (const s of [...inside, ...outside]) {
    const g = groups.get(s.path);
    if (g) g.push(s);
    else groups.set(s.path, [s]);
  }
  return [...groups].map(([path, items]) => ({ path, items }));
}

function findingBlock(
  cwd: string,
  item: ShownFinding,
  width: number,
  readLines: (file: string) => readonly string[],
  paint: Paint,
): { lines: string[]; framed: boolean } {
  const f = item.placed.finding;
  const level: Level = f.level in STYLE ? f.level : 'warning';
  const lines = [
    `  ${paint('dim', position(item.location.region).padEnd(width))}  ${paint(level, level.padEnd(7))}  ${clean(f.message)}  ${paint('dim', clean(f.ruleId))}`,
  ];
  const outside = item.placed.outside;
  if (outside && item.placed.primary) {
    lines.push(`    ↳ ${paint('dim', `${clean(displayPath(cwd, outside.file))}:${position(outside.region)}`)} flagged here (outside the working directory)`);
  }
  for (const r of f.relatedLocations ?? []) {
    if (!r?.location) continue;
    const where = `${clean(displayPath(cwd, r.location.file))}:${position(r.location.region)}`;
    lines.push(`    ↳ ${paint('dim', where)} ${clean(r.message ?? '')}`.trimEnd());
  }
  const frame = codeFrame(readLines(item.location.file), cleanRegion(item.location.region), level, paint);
  return { lines: [...lines, ...frame], framed: frame.length > 0 };
}

function position(region: Region): string {
  const r = cleanRegion(region);
  return `${r.startLine}:${r.startColumn}`;
}

/** The region's lines with CONTEXT_LINES around them, a `>` on region lines and carets under the start. */
function codeFrame(source: readonly string[], r: Region, level: Level, paint: Paint): string[] {
  if (source.length === 0 || r.startLine > source.length) return [];
  const first = Math.max(1, r.startLine - CONTEXT_LINES);
  const last = Math.min(source.length, r.endLine + CONTEXT_LINES);
  const numbers: (number | 'gap')[] = [];
  if (r.endLine - r.startLine + 1 > MAX_REGION_LINES) {
    for (let n = first; n <= r.startLine + 2; n++) numbers.push(n);
    numbers.push('gap');
    for (let n = r.endLine; n <= last; n++) numbers.push(n);
  } else {
    for (let n = first; n <= last; n++) numbers.push(n);
  }
  const width = String(last).length;
  // Scroll long lines so the region's start is visible; the same offset for every line keeps them aligned.
  const offset = r.startColumn - 1 > MAX_LINE_CHARS - 40 ? r.startColumn - 1 - 40 : 0;
  const out: string[] = [];
  for (const n of numbers) {
    if (n === 'gap') {
      out.push(`    ${' '.repeat(width + 3)}${paint('dim', '⋮')}`);
      continue;
    }
    const inRegion = n >= r.startLine && n <= r.endLine;
    const text = visible(source[n - 1] ?? '', offset);
    const gutter = `${inRegion ? paint(level, '>') : ' '} ${paint('dim', String(n).padStart(width) + ' |')}`;
    out.push(`    ${gutter} ${text}`.trimEnd());
    if (n === r.startLine) out.push(`    ${' '.repeat(width + 3)}${paint('dim', '|')} ${caret(source[n - 1] ?? '', r, offset, level, paint)}`);
  }
  return out;
}

/** A line as shown: control characters replaced, cut to MAX_LINE_CHARS from `offset`. */
function visible(line: string, offset: number): string {
  const body = cleanLine(line.replace(/\r$/, ''));
  const slice = body.slice(offset, offset + MAX_LINE_CHARS);
  return (offset > 0 ? '…' : '') + slice + (body.length > offset + MAX_LINE_CHARS ? '…' : '');
}

function caret(line: string, r: Region, offset: number, level: Level, paint: Paint): string {
  const body = cleanLine(line.replace(/\r$/, ''));
  const start = Math.min(r.startColumn - 1, body.length);
  // Tabs stay tabs so the caret lands under the same character as in the line above.
  const pad = (offset > 0 ? ' ' : '') + body.slice(offset, start).replace(/[^\t]/g, ' ');
  const end = r.endLine === r.startLine ? Math.min(r.endColumn - 1, body.length) : body.length;
  const shownEnd = Math.min(end, offset + MAX_LINE_CHARS);
  return pad + paint(level, '^'.repeat(Math.max(1, shownEnd - start)));
}

function diagnosticLine(cwd: string, d: Diagnostic, paint: Paint): string {
  let where = '';
  if (d.file) {
    where = clean(displayPath(cwd, d.file));
    if (isPositiveInt(d.line)) where += `:${d.line}` + (isPositiveInt(d.column) ? `:${d.column}` : '');
  }
  const level: Level = d.level in STYLE ? d.level : 'error';
  return `  ${where ? paint('dim', where) + '  ' : ''}${paint(level, level)}  ${clean(d.message)}  ${paint('dim', d.code)}`;
}

function summaryLine(result: LintResult, paint: Paint): string {
  const s = summarize(result);
  const suppressed = s.suppressed > 0 ? ` (${s.suppressed} suppressed)` : '';
  const problems = result.diagnostics.length > 0 ? `; ${plural(result.diagnostics.length, 'input problem')}` : '';
  const inputFailed = result.diagnostics.some((d) => d.level === 'error');
  const shown = s.error + s.warning + s.note;
  if (s.files === 0 && shown === 0) {
    return paint('warning', '⚠') + ` nothing was found to lint: no Terraform files (.tf, .tf.json) or plan files${suppressed}${problems}`;
  }
  const files = plural(s.files, 'file');
  if (shown === 0) {
    const mark = inputFailed ? paint('error', '✖') : paint('ok', '✔');
    return `${mark} no findings${suppressed} in ${files}${problems}`;
  }
  const counts = [plural(s.error, 'error'), plural(s.warning, 'warning'), plural(s.note, 'note')].join(', ');
  return `${paint('error', '✖')} ${counts}${suppressed} in ${files}${problems}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One-line text: newlines become spaces, other control characters a replacement mark. */
function clean(s: string): string {
  return cleanLine(String(s ?? '').replace(/\r\n|\r|\n/g, ' ')).replace(/\t/g, ' ');
}

/** Replaces control characters other than tab one-for-one, so columns still line up. */
function cleanLine(s: string): string {
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, '\ufffd');
}

function safeReader(read: TextOptions['readLines']): (file: string) => readonly string[] {
  const cache = new Map<string, readonly string[]>();
  return (file) => {
    let lines = cache.get(file);
    if (!lines) {
      try {
        const got = read?.(file);
        lines = Array.isArray(got) ? got : [];
      } catch {
        lines = [];
      }
      cache.set(file, lines);
    }
    return lines;
  };
}
