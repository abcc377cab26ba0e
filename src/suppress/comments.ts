/**
 * Inline suppression comments: `# lambda-adr-lint:ignore RULE[,RULE…] reason="…" [expires=YYYY-MM-DD]`
 * (or `//`). A comment applies to the first line below it that is not a comment, so it may sit
 * in a stack of other comments; a blank line (or the end of the file) between it and the code
 * leaves it applying to nothing. Parsing never fails: what is wrong is listed in `problems`.
 */
import { isValidDate } from '../config/dates';

export const DIRECTIVE_PREFIX = 'lambda-adr-lint:';
export const IGNORE_DIRECTIVE = `${DIRECTIVE_PREFIX}ignore`;

export interface SuppressionComment {
  /** 1-based line of the comment. */
  readonly line: number;
  /** Where the comment starts (its `#` or `//`) and ends (exclusive), 1-based columns. */
  readonly startColumn: number;
  readonly endColumn: number;
  /** The line it applies to, undefined when a blank line or the end of the file follows the comment stack. */
  readonly target?: number;
  readonly rules: readonly string[];
  readonly reason?: string;
  readonly expires?: string;
  /** Problems that stop the comment suppressing anything (missing reason, bad date, unknown key…). */
  readonly problems: readonly string[];
}

/** The text of a comment line (after `#` or `//`), or undefined when the line is not a whole-line comment. */
function commentBody(line: string): { body: string; column: number } | undefined {
  const m = /^(\s*)(#|\/\/)(.*)$/.exec(line);
  return m ? { body: m[3], column: m[1].length + 1 } : undefined;
}

/** A line that only holds a comment: `#`, `//`, or a one-line block comment. */
function isCommentLine(line: string): boolean {
  const t = line.trim();
  return t.startsWith('#') || t.startsWith('//') || (t.startsWith('/*') && t.endsWith('*/'));
}

/** Every suppression comment in a file's lines, each with the line it applies to. */
export function scanComments(lines: readonly string[]): SuppressionComment[] {
  const out: SuppressionComment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    // Cheap test first: nearly every line is not a directive.
    if (!text.includes(DIRECTIVE_PREFIX)) continue;
    const parsed = parseComment(text);
    if (!parsed) continue;
    const target = targetLine(lines, i);
    const problems = target === undefined
      ? [...parsed.problems, 'it is not directly above a block or attribute (a blank line or the end of the file follows it)']
      : parsed.problems;
    out.push({ ...parsed, line: i + 1, ...(target !== undefined ? { target } : {}), problems });
  }
  return out;
}

/** The first line below index `i` (0-based) that is not a comment, 1-based; undefined when it is blank or missing. */
function targetLine(lines: readonly string[], i: number): number | undefined {
  for (let j = i + 1; j < lines.length; j++) {
    if (isCommentLine(lines[j])) continue;
    return lines[j].trim() === '' ? undefined : j + 1;
  }
  return undefined;
}

export type ParsedComment = Omit<SuppressionComment, 'line' | 'target'>;

/** One line parsed as a suppression comment; undefined when it is not a `lambda-adr-lint:` comment. */
export function parseComment(line: string): ParsedComment | undefined {
  const c = commentBody(line);
  if (!c) return undefined;
  const body = c.body.trim();
  if (!body.startsWith(DIRECTIVE_PREFIX)) return undefined;
  const startColumn = c.column;
  const endColumn = line.replace(/\s+$/, '').length + 1;
  const directive = /^\S*/.exec(body)![0];
  if (directive !== IGNORE_DIRECTIVE) {
    return { startColumn, endColumn, rules: [], problems: [`unknown directive "${directive}" (the only one is ${IGNORE_DIRECTIVE})`] };
  }
  const { rules, values, problems } = tokenize(body.slice(directive.length));
  const reason = values.get('reason')?.trim();
  const expires = values.get('expires');
  if (rules.length === 0) problems.push('it names no rule');
  if (reason === undefined || reason === '') problems.push('it has no reason (write reason="…")');
  if (expires !== undefined && !isValidDate(expires)) problems.push(`expires="${expires}" is not a date as YYYY-MM-DD`);
  return {
    startColumn,
    endColumn,
    rules,
    ...(reason ? { reason } : {}),
    ...(expires !== undefined ? { expires } : {}),
    problems,
  };
}

const KEYS = new Set(['reason', 'expires']);

/** Rule IDs (separated by commas and/or spaces) and `key=value` pairs (values quoted with " or ', or bare). */
function tokenize(s: string): { rules: string[]; values: Map<string, string>; problems: string[] } {
  const rules: string[] = [];
  const values = new Map<string, string>();
  const problems: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (/[\s,]/.test(s[i])) {
      i++;
      continue;
    }
    const key = /^([A-Za-z_][\w-]*)=/.exec(s.slice(i));
    if (!key) {
      const word = /^[^\s,]+/.exec(s.slice(i))![0];
      rules.push(word);
      i += word.length;
      continue;
    }
    i += key[0].length;
    const read = readValue(s, i);
    i = read.end;
    if (read.unterminated) problems.push(`the value of ${key[1]} has no closing quote`);
    if (KEYS.has(key[1])) values.set(key[1], read.value);
    else problems.push(`unknown key "${key[1]}" (expected reason and expires)`);
  }
  return { rules, values, problems };
}

function readValue(s: string, start: number): { value: string; end: number; unterminated?: boolean } {
  const quote = s[start];
  if (quote !== '"' && quote !== "'") {
    const word = /^\S*/.exec(s.slice(start))![0];
    return { value: word, end: start + word.length };
  }
  let value = '';
  for (let i = start + 1; i < s.length; i++) {
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length && (s[i + 1] === quote || s[i + 1] === '\\')) {
      value += s[++i];
    } else if (ch === quote) {
      return { value, end: i + 1 };
    } else {
      value += ch;
    }
  }
  return { value, end: s.length, unterminated: true };
}
