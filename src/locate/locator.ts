/**
 * Turns SourcePointers into exact regions. Files are read and range-indexed lazily, once, and
 * only when a finding needs them: most files of a large repository never are.
 */
import type { Location, PathStep, SourcePointer } from '../model/source';

export interface Locator {
  /** The region of the block or attribute the pointer names; the nearest enclosing block it can
   *  find when the exact step is missing (e.g. a defaulted attribute points at its resource). */
  locate(pointer: SourcePointer): Location;
  /** Lines of a file, for code frames and suppression comments (empty when unreadable). */
  lines(file: string): readonly string[];
}

/** A stretch of a file's text: [start, end) string offsets, i.e. UTF-16 code units as SARIF counts. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/** Where a pointer led: the deepest span found and how many of its steps that consumed. */
export interface Resolved {
  readonly span: TextSpan;
  readonly depth: number;
}

/** The one that got further along the path; the earlier one on a tie (source order wins). */
export function deeper(a: Resolved | undefined, b: Resolved | undefined): Resolved | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.depth > a.depth ? b : a;
}

/** A path step used as a list index (numbers, or digit strings), undefined otherwise. */
export function stepIndex(step: PathStep): number | undefined {
  const n = typeof step === 'number' ? step : /^\d+$/.test(step) ? Number(step) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
