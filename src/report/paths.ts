/**
 * Where a finding is shown. Output paths are relative to the working directory with `/`
 * separators; a file outside it is never written as `..` or absolute in machine formats (GitHub
 * drops such results, and absolute paths leak the runner's layout). A finding whose own location
 * is outside borrows its first related location inside; text alone may still print absolute paths.
 */
import * as path from 'path';
import type { Location, Region } from '../model/source';
import type { ReportedFinding } from './result';

/** A location inside the working directory, with its output path. */
export interface PlacedLocation {
  /** Relative to cwd, `/`-separated, never `..` or absolute. */
  readonly path: string;
  readonly location: Location;
}

export interface PlacedRelated extends PlacedLocation {
  readonly message: string;
}

export interface PlacedFinding {
  readonly finding: ReportedFinding;
  /** The finding's own location, or the first related location inside cwd; absent when none is inside. */
  readonly primary?: PlacedLocation;
  /** The finding's own location when it lies outside cwd (so `primary`, if any, stands in for it). */
  readonly outside?: Location;
  /** Related locations inside cwd, in the finding's order. */
  readonly related: readonly PlacedRelated[];
  /** Related locations outside cwd (only text shows these, with absolute paths). */
  readonly relatedOutside: readonly { readonly location: Location; readonly message: string }[];
}

/** `file` relative to `cwd` with `/` separators, or undefined when it is not inside `cwd`. */
export function relativeToCwd(cwd: string, file: string): string | undefined {
  if (typeof file !== 'string' || file === '') return undefined;
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel === '' || path.isAbsolute(rel)) return undefined;
  const posix = rel.split(path.sep).join('/');
  if (posix === '..' || posix.startsWith('../')) return undefined;
  return posix;
}

/** For text only: the relative path when inside cwd, else the absolute one. */
export function displayPath(cwd: string, file: string): string {
  return relativeToCwd(cwd, file) ?? path.resolve(cwd, String(file ?? ''));
}

/** A region every consumer accepts: integers ≥ 1, end not before start (bad input never throws). */
export function cleanRegion(r: Region | undefined): Region {
  const int = (n: unknown, min: number): number =>
    typeof n === 'number' && Number.isFinite(n) ? Math.max(min, Math.floor(n)) : min;
  const startLine = int(r?.startLine, 1);
  const startColumn = int(r?.startColumn, 1);
  let endLine = int(r?.endLine, startLine);
  let endColumn = int(r?.endColumn, startColumn);
  if (endLine < startLine) {
    endLine = startLine;
    endColumn = startColumn;
  }
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { startLine, startColumn, endLine, endColumn };
}

export function isPositiveInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}

export function placeFinding(cwd: string, finding: ReportedFinding): PlacedFinding {
  const related: PlacedRelated[] = [];
  const relatedOutside: { location: Location; message: string }[] = [];
  for (const r of finding.relatedLocations ?? []) {
    const p = r?.location ? relativeToCwd(cwd, r.location.file) : undefined;
    if (p !== undefined) related.push({ path: p, location: r.location, message: r.message ?? '' });
    else if (r?.location) relatedOutside.push({ location: r.location, message: r.message ?? '' });
  }
  const ownPath = finding.location ? relativeToCwd(cwd, finding.location.file) : undefined;
  if (ownPath !== undefined) {
    return { finding, primary: { path: ownPath, location: finding.location }, related, relatedOutside };
  }
  const standIn = related[0];
  return {
    finding,
    primary: standIn ? { path: standIn.path, location: standIn.location } : undefined,
    outside: finding.location,
    related,
    relatedOutside,
  };
}

/** Deterministic order: by shown path (findings without one last), line, column, rule, address. */
export function comparePlaced(a: PlacedFinding, b: PlacedFinding): number {
  const pa = a.primary?.path;
  const pb = b.primary?.path;
  if (pa !== pb) {
    if (pa === undefined) return 1;
    if (pb === undefined) return -1;
    return pa < pb ? -1 : 1;
  }
  const ra = cleanRegion(a.primary?.location.region ?? a.finding.location?.region);
  const rb = cleanRegion(b.primary?.location.region ?? b.finding.location?.region);
  return (
    ra.startLine - rb.startLine ||
    ra.startColumn - rb.startColumn ||
    cmp(a.finding.ruleId, b.finding.ruleId) ||
    cmp(a.finding.address, b.finding.address) ||
    cmp(a.finding.fingerprint, b.finding.fingerprint)
  );
}

/** Places every finding and sorts them (stable for equal keys). */
export function placeAll(cwd: string, findings: readonly ReportedFinding[]): PlacedFinding[] {
  return findings.map((f) => placeFinding(cwd, f)).sort(comparePlaced);
}

function cmp(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
