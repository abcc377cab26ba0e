/**
 * The AWS Lambda runtime table (identifiers and AWS's published dates) with typed lookups.
 * The data lives in `data/lambda-runtimes.json`, stamped with the date it was taken (`asOf`),
 * because AWS moves these dates; `scripts/refresh-runtimes.ts` rewrites it. The linter itself
 * never fetches anything.
 */
// `import = require` keeps a plain `require` in the CommonJS output, so tsc copies the JSON into
// `lib/` and bundlers inline it.
import tableJson = require('./data/lambda-runtimes.json');

/** One runtime as the data file holds it (dates are YYYY-MM-DD, null when AWS has not published one). */
export interface RuntimeEntry {
  readonly id: string;
  readonly language: string;
  /** End of standard support. */
  readonly deprecation: string | null;
  /** From this date new functions cannot use the runtime. */
  readonly block_create: string | null;
  /** From this date existing functions using it cannot be updated. */
  readonly block_update: string | null;
  /** False for container-image-only runtimes: never a valid `aws_lambda_function.runtime`. */
  readonly valid_runtime_value: boolean;
  readonly note: string | null;
}

/** The whole data file. */
export interface RuntimeTableData {
  readonly about?: string;
  /** The date the data was taken from AWS (YYYY-MM-DD). */
  readonly asOf: string;
  readonly source: string;
  readonly runtimes: readonly RuntimeEntry[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Whole days from `from` to `to` (negative when `to` is earlier); both YYYY-MM-DD. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Reads a data file leniently: entries that are not well formed are left out and named in
 * `problems` (a hand-edited or half-refreshed file must not stop the linter).
 */
export function readTableData(json: unknown): { data: RuntimeTableData; problems: string[] } {
  const problems: string[] = [];
  const o = isRecord(json) ? json : {};
  if (!isRecord(json)) problems.push('the runtime table is not a JSON object');
  const asOf = isIsoDate(o.asOf) ? o.asOf : '';
  if (!asOf) problems.push('the runtime table has no valid "asOf" date');
  const source = typeof o.source === 'string' ? o.source : '';
  const runtimes: RuntimeEntry[] = [];
  const raw = Array.isArray(o.runtimes) ? o.runtimes : [];
  if (!Array.isArray(o.runtimes)) problems.push('the runtime table has no "runtimes" list');
  raw.forEach((e, i) => {
    const entry = readEntry(e);
    if (entry) runtimes.push(entry);
    else problems.push(`runtimes[${i}] is not a well-formed runtime entry`);
  });
  const about = typeof o.about === 'string' ? o.about : undefined;
  return { data: { ...(about !== undefined ? { about } : {}), asOf, source, runtimes }, problems };
}

function readEntry(e: unknown): RuntimeEntry | undefined {
  if (!isRecord(e) || typeof e.id !== 'string' || e.id === '') return undefined;
  const date = (v: unknown): string | null | undefined => (v === null || v === undefined ? null : isIsoDate(v) ? v : undefined);
  const deprecation = date(e.deprecation);
  const block_create = date(e.block_create);
  const block_update = date(e.block_update);
  if (deprecation === undefined || block_create === undefined || block_update === undefined) return undefined;
  return {
    id: e.id,
    language: typeof e.language === 'string' ? e.language : '',
    deprecation,
    block_create,
    block_update,
    valid_runtime_value: e.valid_runtime_value !== false,
    note: typeof e.note === 'string' ? e.note : null,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Ruby runtimes compare by version: ruby4.0 > ruby3.10 > ruby3.4. */
function rubyVersion(id: string): number[] | undefined {
  const m = /^ruby(\d+(?:\.\d+)*)$/.exec(id);
  return m ? m[1].split('.').map(Number) : undefined;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the runtime has reached end of standard support on `asOf` (the deprecation day counts). */
export function isDeprecated(entry: RuntimeEntry, asOf: string): boolean {
  return entry.deprecation !== null && asOf >= entry.deprecation;
}

export class RuntimeTable {
  private readonly byId = new Map<string, RuntimeEntry>();

  constructor(readonly data: RuntimeTableData) {
    for (const r of data.runtimes) if (!this.byId.has(r.id)) this.byId.set(r.id, r);
  }

  get asOf(): string {
    return this.data.asOf;
  }

  lookup(id: string): RuntimeEntry | undefined {
    return this.byId.get(id);
  }

  /** The newest Ruby runtime usable for `aws_lambda_function.runtime` and not deprecated on `asOf`. */
  newestRuby(asOf: string): string | undefined {
    let best: { id: string; version: number[] } | undefined;
    for (const r of this.byId.values()) {
      const version = rubyVersion(r.id);
      if (!version || !r.valid_runtime_value || isDeprecated(r, asOf)) continue;
      if (!best || compareVersions(version, best.version) > 0) best = { id: r.id, version };
    }
    return best?.id;
  }

  entries(): RuntimeEntry[] {
    return [...this.byId.values()];
  }
}

const loaded = readTableData(tableJson as unknown);

/** The table shipped with the linter. */
export const runtimeTable = new RuntimeTable(loaded.data);
/** Problems found reading the shipped data file (empty unless it was damaged). */
export const tableProblems: readonly string[] = loaded.problems;
/** The date the shipped table was taken from AWS. */
export const tableAsOf: string = runtimeTable.asOf;

export function lookupRuntime(id: string): RuntimeEntry | undefined {
  return runtimeTable.lookup(id);
}

export function newestRuby(asOf: string): string | undefined {
  return runtimeTable.newestRuby(asOf);
}
