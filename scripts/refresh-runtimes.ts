/**
 * Maintainer script: refresh rules/data/lambda-runtimes.json from AWS's "Lambda runtimes" page.
 *
 *   node lib/scripts/refresh-runtimes.js [--from FILE|URL] [--out FILE] [--as-of YYYY-MM-DD] [--prune] [--dry-run]
 *
 * It reads the page (fetched, or a saved copy), takes every table that has Identifier and
 * Deprecation date columns (the supported and the deprecated runtimes), merges the rows into the
 * current data file and prints what was added, changed and removed. This is the only place the
 * project touches the network; the linter reads the data file only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isIsoDate, readTableData, type RuntimeEntry, type RuntimeTableData } from '../rules/runtime-table';

export const RUNTIMES_PAGE_URL = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html';

// ---- reading the page ----

/** One runtime row of the page. */
export interface PageRuntime {
  readonly id: string;
  /** The Name column ("Ruby 3.4"). */
  readonly name: string;
  readonly deprecation: string | null;
  readonly block_create: string | null;
  readonly block_update: string | null;
  /** The row says the runtime exists only as a container base image. */
  readonly containerOnly: boolean;
}

export interface PageParse {
  readonly runtimes: PageRuntime[];
  /** Rows or cells that could not be read, in words (the script prints them). */
  readonly problems: string[];
  /** How many runtime tables were found. */
  readonly tables: number;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/**
 * A date cell as YYYY-MM-DD ("Mar 31, 2027", "March 31, 2027", "2027-03-31"); null when the cell
 * holds no date ("Not scheduled", empty). `unreadable` is set when it looks like a date but is not one.
 */
export function parsePageDate(text: string): { date: string | null; unreadable: boolean } {
  const named = /\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(text);
  if (named) {
    const month = MONTHS[named[1].slice(0, 3).toLowerCase()];
    const iso = month ? `${named[3]}-${String(month).padStart(2, '0')}-${named[2].padStart(2, '0')}` : '';
    if (month && isIsoDate(iso)) return { date: iso, unreadable: false };
  }
  const iso = /\b(\d{4}-\d{2}-\d{2})\b/.exec(text);
  if (iso && isIsoDate(iso[1])) return { date: iso[1], unreadable: false };
  return { date: null, unreadable: /\d{4}/.test(text) };
}

/** Runtime identifiers inside an Identifier cell (usually one). */
function identifiersIn(text: string): string[] {
  return text.split(/[\s,;]+/).filter((t) => /^[a-z][a-z0-9]*(?:[.-][a-z0-9]+)*$/.test(t));
}

export function parseRuntimePage(html: string): PageParse {
  const runtimes: PageRuntime[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  let tables = 0;
  htmlTables(html).forEach((table, t) => {
    const grid = tableGrid(table);
    // The header is the first row naming both key columns (th or td: pages differ).
    const isHeader = (row: Cell[]) => row.some((c) => /identifier/i.test(c.text)) && row.some((c) => /deprecation/i.test(c.text));
    const headerRow = grid.findIndex(isHeader);
    if (headerRow < 0) return;
    const header = grid[headerRow].map((c) => c.text.toLowerCase());
    const col = (re: RegExp) => header.findIndex((h) => re.test(h));
    const idCol = col(/identifier/);
    const depCol = col(/deprecation/);
    tables++;
    const nameCol = col(/^name/);
    const createCol = col(/block.*create/);
    const updateCol = col(/block.*update/);
    for (let i = headerRow + 1; i < grid.length; i++) {
      const row = grid[i];
      const cell = (c: number) => (c >= 0 && c < row.length ? row[c].text : '');
      const where = `table ${t + 1}, row ${i + 1}`;
      if (row.every((c) => c.header) || isHeader(row)) continue;
      const ids = identifiersIn(cell(idCol));
      if (ids.length === 0) {
        if (row.some((c) => c.text !== '')) problems.push(`${where}: no runtime identifier in "${cell(idCol)}"`);
        continue;
      }
      const date = (c: number, what: string): string | null => {
        const d = parsePageDate(cell(c));
        if (d.unreadable) problems.push(`${where}: could not read the ${what} "${cell(c)}"`);
        return d.date;
      };
      const deprecation = date(depCol, 'deprecation date');
      const block_create = date(createCol, 'block function create date');
      const block_update = date(updateCol, 'block function update date');
      const containerOnly = /container/i.test(`${cell(nameCol)} ${cell(idCol)}`);
      for (const id of ids) {
        if (seen.has(id)) { problems.push(`${where}: "${id}" is listed more than once; the first row is kept`); continue; }
        seen.add(id);
        runtimes.push({ id, name: cell(nameCol), deprecation, block_create, block_update, containerOnly });
      }
    }
  });
  return { runtimes, problems, tables };
}

interface Cell { readonly text: string; readonly header: boolean }

/** The inner HTML of every table. */
function htmlTables(html: string): string[] {
  const out: string[] = [];
  const re = /<table\b[^>]*>([\s\S]*?)<\/table\s*>/gi;
  for (let m = re.exec(html); m; m = re.exec(html)) out.push(m[1]);
  return out;
}

/** A table's rows as a grid, with rowspan and colspan cells repeated into every slot they cover. */
function tableGrid(table: string): Cell[][] {
  const grid: Cell[][] = [];
  const carried = new Map<number, { cell: Cell; rows: number }>();
  for (const chunk of table.split(/<tr\b[^>]*>/i).slice(1)) {
    const rowHtml = chunk.split(/<\/tr\s*>/i)[0];
    const row: Cell[] = [];
    const takeCarried = () => {
      for (let c = carried.get(row.length); c; c = carried.get(row.length)) {
        row.push(c.cell);
        if (--c.rows === 0) carried.delete(row.length - 1);
      }
    };
    const cellRe = /<(td|th)\b([^>]*)>([\s\S]*?)(?=<\/?(?:td|th)\b|$)/gi;
    for (let m = cellRe.exec(rowHtml); m; m = cellRe.exec(rowHtml)) {
      takeCarried();
      const cell: Cell = { text: cellText(m[3]), header: m[1].toLowerCase() === 'th' };
      const span = (name: string) => Math.min(50, Math.max(1, Number(new RegExp(`${name}\\s*=\\s*["']?(\\d+)`, 'i').exec(m![2])?.[1] ?? 1)));
      const rows = span('rowspan');
      for (let k = span('colspan'); k > 0; k--) {
        if (rows > 1) carried.set(row.length, { cell, rows: rows - 1 });
        row.push(cell);
      }
    }
    takeCarried();
    grid.push(row);
  }
  return grid;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—' };

/** A cell's visible text: tags dropped, entities decoded, whitespace collapsed. */
function cellText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/<sup\b[\s\S]*?<\/sup\s*>/gi, ' ') // footnote markers
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
      if (e[0] === '#') {
        const code = e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
      }
      return ENTITIES[e.toLowerCase()] ?? all;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

// ---- merging into the data file ----

export interface FieldChange { readonly field: string; readonly from: unknown; readonly to: unknown }

export interface TableDiff {
  readonly added: RuntimeEntry[];
  readonly changed: { readonly id: string; readonly changes: FieldChange[] }[];
  /** Dropped because they are no longer on the page (only with `prune`). */
  readonly removed: string[];
  /** No longer on the page but kept: the linter still knows their (past) dates. */
  readonly kept: string[];
}

export interface MergeOptions {
  readonly asOf: string;
  readonly source: string;
  /** Drop runtimes the page no longer lists (AWS removes long-dead ones). */
  readonly prune: boolean;
}

const CONTAINER_ONLY_NOTE = 'container-image-only runtime: never a valid value for aws_lambda_function.runtime (not in AWS SDK Runtime enum)';

const DEFAULT_ABOUT =
  "AWS Lambda runtime identifiers with AWS's published dates (deprecation = end of standard support; from block_create new " +
  'functions cannot use it; from block_update existing ones cannot be updated). null = not published.';

/** "Ruby 3.4" → "Ruby", ".NET 8 (container only)" → ".NET": the language of a new row. */
function languageOf(name: string): string {
  return name.replace(/\(.*?\)/g, '').replace(/\s+v?\d[\w.]*.*$/, '').trim() || name;
}

export function mergeRuntimes(current: RuntimeTableData, page: readonly PageRuntime[], opts: MergeOptions): { data: RuntimeTableData; diff: TableDiff } {
  const old = new Map(current.runtimes.map((r) => [r.id, r] as const));
  const onPage = new Set(page.map((p) => p.id));
  const diff: TableDiff = { added: [], changed: [], removed: [], kept: [] };
  const runtimes: RuntimeEntry[] = [];
  for (const p of page) {
    const was = old.get(p.id);
    const valid = !p.containerOnly && (was?.valid_runtime_value ?? true);
    const entry: RuntimeEntry = {
      id: p.id,
      language: was?.language || languageOf(p.name),
      deprecation: p.deprecation,
      block_create: p.block_create,
      block_update: p.block_update,
      valid_runtime_value: valid,
      note: was?.note ?? (valid ? null : CONTAINER_ONLY_NOTE),
    };
    runtimes.push(entry);
    if (!was) { diff.added.push(entry); continue; }
    const changes: FieldChange[] = [];
    for (const field of ['deprecation', 'block_create', 'block_update', 'valid_runtime_value'] as const) {
      if (was[field] !== entry[field]) changes.push({ field, from: was[field], to: entry[field] });
    }
    if (changes.length) diff.changed.push({ id: p.id, changes });
  }
  for (const r of current.runtimes) {
    if (onPage.has(r.id)) continue;
    if (opts.prune) diff.removed.push(r.id);
    else { diff.kept.push(r.id); runtimes.push(r); }
  }
  runtimes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    data: { about: current.about ?? DEFAULT_ABOUT, asOf: opts.asOf, source: opts.source, runtimes },
    diff,
  };
}

/** The data file's text, in the shape it is committed in. */
export function tableJsonText(data: RuntimeTableData): string {
  const ordered = { about: data.about, asOf: data.asOf, source: data.source, runtimes: data.runtimes };
  return `${JSON.stringify(ordered, null, 1)}\n`;
}

function dates(r: RuntimeEntry): string {
  return `deprecation ${r.deprecation ?? 'none'}, block create ${r.block_create ?? 'none'}, block update ${r.block_update ?? 'none'}${r.valid_runtime_value ? '' : ', container image only'}`;
}

export function formatDiff(diff: TableDiff, fromAsOf: string, toAsOf: string, count: number): string {
  const lines = [`Lambda runtime table ${fromAsOf || '(none)'} -> ${toAsOf}: ${count} runtimes`];
  lines.push(`added (${diff.added.length})${diff.added.length ? ':' : ''}`);
  for (const r of diff.added) lines.push(`  ${r.id}: ${dates(r)}`);
  lines.push(`changed (${diff.changed.length})${diff.changed.length ? ':' : ''}`);
  for (const c of diff.changed) {
    lines.push(`  ${c.id}: ${c.changes.map((f) => `${f.field} ${String(f.from ?? 'none')} -> ${String(f.to ?? 'none')}`).join('; ')}`);
  }
  lines.push(`removed (${diff.removed.length})${diff.removed.length ? `: ${diff.removed.join(', ')}` : ''}`);
  if (diff.kept.length) lines.push(`no longer on the page, kept (${diff.kept.length}): ${diff.kept.join(', ')} (--prune drops them)`);
  return lines.join('\n');
}

// ---- command line ----

interface Args { from?: string; out?: string; asOf?: string; prune: boolean; dryRun: boolean; help: boolean }

const USAGE = `usage: node lib/scripts/refresh-runtimes.js [--from FILE|URL] [--out FILE] [--as-of YYYY-MM-DD] [--prune] [--dry-run]
  --from    a saved copy of the AWS "Lambda runtimes" page, or its URL (default: fetch ${RUNTIMES_PAGE_URL})
  --out     the data file to rewrite (default: rules/data/lambda-runtimes.json of this package)
  --as-of   the date the page was taken (default: today; give the save date for a saved copy)
  --prune   drop runtimes the page no longer lists (kept by default)
  --dry-run print the summary without writing`;

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { prune: false, dryRun: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--from': args.from = value(); if (!args.from) return '--from needs a file or URL'; break;
      case '--out': args.out = value(); if (!args.out) return '--out needs a file'; break;
      case '--as-of': args.asOf = value(); if (!isIsoDate(args.asOf)) return '--as-of needs a date YYYY-MM-DD'; break;
      case '--prune': args.prune = true; break;
      case '--dry-run': args.dryRun = true; break;
      case '--help': case '-h': args.help = true; break;
      default: return `unknown argument ${a}`;
    }
  }
  return args;
}

/** The package root (where package.json names lambda-adr-lint), from `scripts/` or `lib/scripts/`. */
function packageRoot(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'lambda-adr-lint') return dir;
    } catch { /* not here: keep walking up */ }
    if (path.dirname(dir) === dir) return undefined;
  }
}

async function readPage(from: string): Promise<string> {
  if (/^https?:\/\//i.test(from)) {
    const res = await fetch(from, { signal: AbortSignal.timeout(30_000), headers: { 'user-agent': 'lambda-adr-lint refresh-runtimes' } });
    if (!res.ok) throw new Error(`GET ${from}: HTTP ${res.status}`);
    return res.text();
  }
  return fs.promises.readFile(from, 'utf8');
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const processIo: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/** Exit code: 0 written (or dry run), 1 the page could not be read or held no runtimes, 2 usage. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') { io.err(`${args}\n${USAGE}`); return 2; }
  if (args.help) { io.out(USAGE); return 0; }
  const root = packageRoot(__dirname);
  const out = args.out ?? (root ? path.join(root, 'rules', 'data', 'lambda-runtimes.json') : undefined);
  if (!out) { io.err(`cannot find the package's rules/data directory; give --out\n${USAGE}`); return 2; }
  const from = args.from ?? RUNTIMES_PAGE_URL;

  let html: string;
  try {
    html = await readPage(from);
  } catch (e) {
    io.err(`could not read ${from}: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const page = parseRuntimePage(html);
  for (const p of page.problems) io.err(`warning: ${p}`);
  if (page.runtimes.length === 0) {
    io.err(`no runtime tables found in ${from} (${page.tables} tables with Identifier and Deprecation date columns); ${out} is unchanged`);
    return 1;
  }

  let current: RuntimeTableData = { asOf: '', source: '', runtimes: [] };
  if (fs.existsSync(out)) {
    try {
      const read = readTableData(JSON.parse(fs.readFileSync(out, 'utf8')));
      for (const p of read.problems) io.err(`warning: ${out}: ${p}`);
      current = read.data;
    } catch (e) {
      io.err(`warning: ${out} is not readable JSON (${e instanceof Error ? e.message : String(e)}); starting from an empty table`);
    }
  }
  const asOf = args.asOf ?? new Date().toISOString().slice(0, 10);
  const source = /^https?:\/\//i.test(from) ? from : `${RUNTIMES_PAGE_URL} (saved copy ${path.basename(from)})`;
  const { data, diff } = mergeRuntimes(current, page.runtimes, { asOf, source, prune: args.prune });
  io.out(formatDiff(diff, current.asOf, asOf, data.runtimes.length));
  if (args.dryRun) { io.out(`dry run: ${out} not written`); return 0; }
  fs.writeFileSync(out, tableJsonText(data));
  io.out(`wrote ${out}`);
  return 0;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
