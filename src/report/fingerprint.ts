/**
 * Fingerprints that let code scanning and baselines recognise a finding across commits.
 *
 * `findingFingerprint` is ours: rule, resource address, discriminator and the offending line's
 * text — no line numbers, so it survives unrelated lines moving.
 * `lineHashes` is GitHub's `primaryLocationLineHash`, reimplemented from its description: a
 * rolling hash over the 100 non-blank characters that start at each line, so a value computed
 * here matches the one the upload action would compute from the checkout.
 */
import { createHash } from 'crypto';

/** Stable hex id of a finding (sha256). Whitespace in the line is normalised so re-indenting does not change it. */
export function findingFingerprint(
  ruleId: string,
  address: string,
  discriminator: string | undefined,
  offendingLineText: string,
): string {
  const line = String(offendingLineText ?? '').replace(/\s+/g, ' ').trim();
  // NUL cannot occur in any part, so the joined parts cannot be confused with other splits.
  const material = [String(ruleId ?? ''), String(address ?? ''), String(discriminator ?? ''), line].join('\u0000');
  return createHash('sha256').update(material, 'utf8').digest('hex');
}

const BLOCK_SIZE = 100;
const MOD = 37n;
const MASK = (1n << 64n) - 1n;
/** Appended once after the last character, so a file ending in a newline has a last, empty line. */
const EOF = 0xffff;
const TAB = 0x09;
const SPACE = 0x20;
const LF = 0x0a;
const CR = 0x0d;

/**
 * `primaryLocationLineHash` of every line of `text`: element i belongs to line i + 1. Each value is
 * the 64-bit rolling hash (base 37, wrapping) of the BLOCK_SIZE characters from the line's first
 * non-blank character on — spaces and tabs skipped, CR, LF and CRLF all one newline, the end of
 * the file marked by one EOF character and then zeros — as unsigned hex, then `:` and how many
 * times that hash has occurred so far in the file.
 */
export function lineHashes(text: string): string[] {
  const out: string[] = [];
  const counts = new Map<string, number>();
  const window = new Array<number>(BLOCK_SIZE).fill(0);
  // Which line starts at each window slot (0 = none); emitted once the window has wrapped round.
  const lineAt = new Array<number>(BLOCK_SIZE).fill(0);
  // MOD^BLOCK_SIZE: the weight of the character leaving the window.
  let outgoingWeight = 1n;
  for (let i = 0; i < BLOCK_SIZE; i++) outgoingWeight = (outgoingWeight * MOD) & MASK;

  let hash = 0n;
  let index = 0;
  let line = 0;
  let atLineStart = true;
  let afterCR = false;

  const emit = (): void => {
    const hex = hash.toString(16);
    const n = (counts.get(hex) ?? 0) + 1;
    counts.set(hex, n);
    out[lineAt[index] - 1] = `${hex}:${n}`;
    lineAt[index] = 0;
  };
  const push = (code: number): void => {
    const leaving = window[index];
    window[index] = code;
    hash = (hash * MOD + BigInt(code) - outgoingWeight * BigInt(leaving)) & MASK;
    index = (index + 1) % BLOCK_SIZE;
  };
  const take = (code: number): void => {
    if (code === SPACE || code === TAB || (afterCR && code === LF)) {
      afterCR = false;
      return;
    }
    if (code === CR) {
      code = LF;
      afterCR = true;
    } else {
      afterCR = false;
    }
    if (lineAt[index] !== 0) emit();
    if (atLineStart) {
      atLineStart = false;
      line++;
      lineAt[index] = line;
    }
    if (code === LF) atLineStart = true;
    push(code);
  };

  for (let i = 0; i < text.length; i++) take(text.charCodeAt(i));
  take(EOF);
  for (let i = 0; i < BLOCK_SIZE; i++) {
    if (lineAt[index] !== 0) emit();
    push(0);
  }
  return out;
}

/** The hash for one 1-based line of a file given as lines (joined with `\n`), or undefined when out of range. */
export function primaryLocationLineHash(lines: readonly string[], line: number): string | undefined {
  if (!Array.isArray(lines) || lines.length === 0) return undefined;
  const hashes = lineHashes(lines.join('\n'));
  return Number.isInteger(line) && line >= 1 ? hashes[line - 1] : undefined;
}
