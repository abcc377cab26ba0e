/**
 * The output formats: one call turns a LintResult into the text of the chosen format.
 * Formatters never read files themselves; `readLines` (the Locator's) supplies source text for
 * code frames and GitHub's line hashes.
 */
import { formatGithub } from './github';
import { formatJson } from './json';
import type { LintResult } from './result';
import { formatSarif } from './sarif';
import { formatText } from './text';

export type Format = 'text' | 'json' | 'sarif' | 'github';

export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github'];

export interface FormatOptions {
  /** ANSI colours in text output. */
  readonly color: boolean;
  /** Base URL of the rule pages (`<base><rule-id>.md`), e.g. `https://github.com/org/repo/blob/main/docs/rules/`. */
  readonly docsBaseUrl: string;
  readonly toolVersion: string;
  /** Lines of a file as the Locator read them (`text.split(/\r?\n/)`); empty when unreadable. */
  readLines?(file: string): readonly string[];
}

export function isFormat(s: string): s is Format {
  return (FORMATS as readonly string[]).includes(s);
}

export function format(result: LintResult, fmt: Format, opts: FormatOptions): string {
  const readLines = opts.readLines ? (file: string) => opts.readLines!(file) : undefined;
  switch (fmt) {
    case 'json':
      return formatJson(result, { toolVersion: opts.toolVersion });
    case 'sarif':
      return formatSarif(result, { docsBaseUrl: opts.docsBaseUrl, toolVersion: opts.toolVersion, readLines });
    case 'github':
      return formatGithub(result);
    case 'text':
    default:
      return formatText(result, { color: opts.color, readLines });
  }
}

export { findingFingerprint, lineHashes, primaryLocationLineHash } from './fingerprint';
export { TOOL_NAME } from './sarif';
