/**
 * `--format json`: the machine-readable report, documented by schemas/result.schema.json.
 * Objects are built literally so key order is stable; paths are relative to cwd, and a location
 * outside it is dropped (a finding with none inside gets `location: null`).
 */
import type { Diagnostic } from '../model/model';
import type { Level } from '../rule';
import { cleanRegion, isPositiveInt, placeAll, relativeToCwd, type PlacedLocation } from './paths';
import type { LintResult } from './result';
import { TOOL_NAME } from './sarif';

/** Bumped only on incompatible changes to the shape below. */
export const JSON_REPORT_VERSION = 1;

export interface JsonSummary {
  /** Unsuppressed findings per level. */
  readonly error: number;
  readonly warning: number;
  readonly note: number;
  readonly suppressed: number;
  /** Files scanned. */
  readonly files: number;
}

export interface JsonLocation {
  readonly file: string;
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface JsonFinding {
  readonly ruleId: string;
  readonly level: Level;
  readonly message: string;
  readonly address: string;
  readonly location: JsonLocation | null;
  readonly related: readonly (JsonLocation & { readonly message: string })[];
  readonly fingerprint: string;
  readonly suppression?: { readonly kind: 'inSource' | 'external'; readonly justification: string; readonly location?: JsonLocation };
}

export interface JsonDiagnostic {
  readonly level: Diagnostic['level'];
  readonly code: Diagnostic['code'];
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface JsonReport {
  readonly version: typeof JSON_REPORT_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly asOf: string;
  readonly summary: JsonSummary;
  readonly findings: readonly JsonFinding[];
  readonly diagnostics: readonly JsonDiagnostic[];
}

/** Counts for summaries: suppressed findings count only as suppressed. */
export function summarize(result: LintResult): JsonSummary {
  let error = 0;
  let warning = 0;
  let note = 0;
  let suppressed = 0;
  for (const f of result.findings) {
    if (f.suppression) suppressed++;
    else if (f.level === 'error') error++;
    else if (f.level === 'warning') warning++;
    else note++;
  }
  return { error, warning, note, suppressed, files: result.filesScanned };
}

export function toJsonReport(result: LintResult, opts: { readonly toolVersion: string }): JsonReport {
  const cwd = result.cwd;
  const findings = placeAll(cwd, result.findings).map((p): JsonFinding => {
    const f = p.finding;
    const base = {
      ruleId: f.ruleId,
      level: f.level,
      message: f.message,
      address: f.address,
      location: p.primary ? jsonLocation(p.primary) : null,
      related: p.related.map((r) => ({ ...jsonLocation(r), message: r.message })),
      fingerprint: f.fingerprint,
    };
    if (!f.suppression) return base;
    const where = f.suppression.location ? relativeToCwd(cwd, f.suppression.location.file) : undefined;
    const suppression = {
      kind: f.suppression.kind,
      justification: f.suppression.justification,
      ...(where !== undefined && f.suppression.location
        ? { location: jsonLocation({ path: where, location: f.suppression.location }) }
        : {}),
    };
    return { ...base, suppression };
  });
  return {
    version: JSON_REPORT_VERSION,
    tool: { name: TOOL_NAME, version: opts.toolVersion },
    asOf: result.asOf,
    summary: summarize(result),
    findings,
    diagnostics: result.diagnostics.map((d) => jsonDiagnostic(cwd, d)),
  };
}

export function formatJson(result: LintResult, opts: { readonly toolVersion: string }): string {
  return JSON.stringify(toJsonReport(result, opts), null, 2) + '\n';
}

function jsonLocation(p: PlacedLocation): JsonLocation {
  const r = cleanRegion(p.location.region);
  return { file: p.path, startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn };
}

function jsonDiagnostic(cwd: string, d: Diagnostic): JsonDiagnostic {
  // A file outside cwd is left out rather than written as `..`/absolute; the message still names the problem.
  const file = d.file ? relativeToCwd(cwd, d.file) : undefined;
  const at = file === undefined ? {} : {
    file,
    ...(isPositiveInt(d.line) ? { line: d.line } : {}),
    ...(isPositiveInt(d.line) && isPositiveInt(d.column) ? { column: d.column } : {}),
  };
  return { level: d.level, code: d.code, message: d.message, ...at };
}
