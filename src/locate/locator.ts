/**
 * Turns SourcePointers into exact regions. Files are read and range-indexed lazily, once, and
 * only when a finding needs them: most files of a large repository never are.
 */
import type { Location, SourcePointer } from '../model/source';

export interface Locator {
  /** The region of the block or attribute the pointer names; the nearest enclosing block it can
   *  find when the exact step is missing (e.g. a defaulted attribute points at its resource). */
  locate(pointer: SourcePointer): Location;
  /** Lines of a file, for code frames and suppression comments (empty when unreadable). */
  lines(file: string): readonly string[];
}
