/**
 * The output formats: one call turns a LintResult into the text of the chosen format.
 * Formatters never read files themselves; `readLines` (the Locator's) supplies source text for
 * code frames and GitHub's line hashes.
 */
import type { StoreType } from '../graph/datastore-reach';
import type { Graph } from '../graph/graph';
import { formatGithub } from './github';
import { formatJson } from './json';
import { formatMarkdown } from './markdown';
import type { LintResult } from './result';
import { formatSarif } from './sarif';
import { formatText } from './text';

export type Format = 'text' | 'json' | 'sarif' | 'github' | 'markdown';

export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github', 'markdown'];

export interface FormatOptions {
  /** ANSI colours in text output. */
  readonly color: boolean;
  /** Base URL of the rule pages (`<base><rule-id>.md`), e.g. `https://github.com/org/repo/blob/main/docs/rules/`. */
  readonly docsBaseUrl: string;
  readonly toolVersion: string;
  /** Lines of a file as the Locator read them (`text.split(/\r?\n/)`); empty when unreadable. */
  readLines?(file: string): readonly string[];
  /** The run's reference graph (markdown: evidence diagrams show every linked resource; without
   *  it they are drawn from the findings alone). */
  readonly graph?: Graph;
  /** Data-store types lambda-no-datastore used, so diagrams agree with it (markdown). */
  readonly storeTypes?: readonly StoreType[];
  /** Prefix of file links, e.g. `https://github.com/o/r/blob/<sha>/` (markdown; default relative links). */
  readonly sourceBaseUrl?: string;
  /** Upper bound of the output in UTF-8 bytes (markdown; default 1 MiB, GitHub's job summary limit). */
  readonly maxBytes?: number;
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
    case 'markdown':
      return formatMarkdown(result, {
        docsBaseUrl: opts.docsBaseUrl,
        toolVersion: opts.toolVersion,
        graph: opts.graph,
        storeTypes: opts.storeTypes,
        sourceBaseUrl: opts.sourceBaseUrl,
        maxBytes: opts.maxBytes,
      });
    case 'text':
    default:
      return formatText(result, { color: opts.color, readLines });
  }
}

export { findingFingerprint, lineHashes, primaryLocationLineHash } from './fingerprint';
export { TOOL_NAME } from './sarif';
