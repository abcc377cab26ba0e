/**
 * The config file: `.lambda-adr-lint.yml` / `.yaml` / `.json`, given with `--config` or found
 * upward from the working directory (stopping at the repository root, the first directory with
 * a `.git`). Read, parsed, validated against schemas/config.schema.json, and turned into rule
 * settings for `lint()` and address exceptions for the suppression pass. Problems come back as
 * one line naming the file, the key path and what was expected; nothing here throws.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LineCounter, Node } from 'yaml';
import type { Location, Region } from '../model/source';
import type { Level, RuleOptions } from '../rule';
import { allRules } from '../../rules';
import { SUPPRESSION_RULE_ID } from '../suppress/rule';
import type { AddressException } from '../suppress/exceptions';
import { isValidDate } from './dates';
import { validateConfig } from './schema';

/** The YAML parser, loaded only when there is a config file to read (it is most of the config's start-up cost). */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('yaml');
}

export const CONFIG_FILE_NAMES: readonly string[] = ['.lambda-adr-lint.yml', '.lambda-adr-lint.yaml', '.lambda-adr-lint.json'];

export type RuleSetting = { readonly level?: Level | 'off'; readonly options?: RuleOptions };

export interface LintConfig {
  /** Absolute path of the config file; absent when there is none. */
  readonly file?: string;
  /** Rule levels and options by rule ID, as `lint()` takes them. */
  readonly ruleSettings: Readonly<Record<string, RuleSetting>>;
  readonly exceptions: readonly AddressException[];
}

export type ConfigResult = { readonly ok: true; readonly config: LintConfig } | { readonly ok: false; readonly error: string };

export const EMPTY_CONFIG: LintConfig = { ruleSettings: {}, exceptions: [] };

/** Every rule ID a config may name: the rules, and the suppression comments' own. */
export function configurableRuleIds(): string[] {
  return [...allRules.map((r) => r.meta.id), SUPPRESSION_RULE_ID];
}

export interface LoadConfigOptions {
  readonly cwd: string;
  /** `--config FILE` (relative to cwd); without it the file is searched for. */
  readonly configPath?: string;
  readonly ruleIds?: readonly string[];
}

export function loadConfig(opts: LoadConfigOptions): ConfigResult {
  const cwd = path.resolve(opts.cwd);
  let file: string;
  if (opts.configPath !== undefined) {
    file = path.resolve(cwd, opts.configPath);
  } else {
    const found = findConfigFile(cwd);
    if ('error' in found) return { ok: false, error: found.error };
    if (!found.file) return { ok: true, config: EMPTY_CONFIG };
    file = found.file;
  }
  const shown = shownPath(cwd, file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, error: `${shown}: cannot read the config file (${readProblem(e)})` };
  }
  return parseConfig(text, { file, shown, ruleIds: opts.ruleIds });
}

/** The config file that applies to `cwd`: the nearest one upward, not above the repository root. */
export function findConfigFile(cwd: string): { file?: string } | { error: string } {
  let dir = path.resolve(cwd);
  for (;;) {
    const here = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).filter(isFile);
    if (here.length > 1) {
      return { error: `${here.map((f) => shownPath(cwd, f)).join(' and ')}: more than one config file in one directory; keep one` };
    }
    if (here.length === 1) return { file: here[0] };
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) return {};
    dir = parent;
  }
}

export interface ParseConfigOptions {
  /** Absolute path (for exception locations); its extension decides JSON or YAML. */
  readonly file: string;
  /** How messages name it. */
  readonly shown: string;
  readonly ruleIds?: readonly string[];
}

/** Config text → settings and exceptions, or the first problem as one line. */
export function parseConfig(text: string, opts: ParseConfigOptions): ConfigResult {
  const shown = opts.shown;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const isJson = opts.file.toLowerCase().endsWith('.json');
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(body, { lineCounter, prettyErrors: true, uniqueKeys: true });
  let data: unknown;
  if (isJson) {
    try {
      data = JSON.parse(body);
    } catch (e) {
      return { ok: false, error: `${shown}:${jsonErrorWhere(body, (e as Error).message)}` };
    }
  } else {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const where = pos ? `${pos.line}:${pos.col}` : '1:1';
      return { ok: false, error: `${shown}:${where}: ${firstLine(err.message)}` };
    }
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return { ok: false, error: `${shown}: ${firstLine((e as Error).message)}` };
    }
  }
  if (data === null || data === undefined) data = {};

  const ruleIds = opts.ruleIds ?? configurableRuleIds();
  const invalid = validateConfig(data, ruleIds);
  if (invalid) return { ok: false, error: `${shown}: ${invalid}` };

  const config = data as { rules?: Record<string, RuleSetting>; exceptions?: { rule: string; address: string; reason: string; expires?: string }[] };
  const exceptions: AddressException[] = [];
  const positions = exceptionRegions(isJson && doc.errors.length > 0 ? undefined : doc.contents, body, lineCounter);
  for (const [i, e] of (config.exceptions ?? []).entries()) {
    if (e.expires !== undefined && !isValidDate(e.expires)) {
      return { ok: false, error: `${shown}: exceptions[${i}].expires: ${e.expires} is not a day of the calendar` };
    }
    const region = positions[i];
    exceptions.push({
      rule: e.rule,
      address: e.address,
      reason: e.reason.trim(),
      ...(e.expires !== undefined ? { expires: e.expires } : {}),
      origin: shown,
      ...(region ? { location: { file: opts.file, region } satisfies Location } : {}),
    });
  }
  const ruleSettings: Record<string, RuleSetting> = {};
  for (const [id, s] of Object.entries(config.rules ?? {})) {
    ruleSettings[id] = { ...(s.level ? { level: s.level } : {}), ...(s.options ? { options: s.options } : {}) };
  }
  return { ok: true, config: { file: opts.file, ruleSettings, exceptions } };
}

/** Where each `exceptions` entry is written, for suppression locations and expiry messages. */
function exceptionRegions(contents: unknown, text: string, lines: LineCounter): (Region | undefined)[] {
  const { isMap, isSeq } = yaml();
  if (!isMap(contents)) return [];
  const list = contents.get('exceptions', true);
  if (!isSeq(list)) return [];
  return list.items.map((item) => {
    const range = (item as Node | null)?.range;
    if (!range) return undefined;
    // The value's range runs on over the line break after it; a region ends at its last character.
    let endOffset = range[1];
    while (endOffset > range[0] + 1 && /\s/.test(text[endOffset - 1] ?? '')) endOffset--;
    const start = lines.linePos(range[0]);
    const end = lines.linePos(Math.max(range[0] + 1, endOffset));
    return { startLine: start.line, startColumn: start.col, endLine: end.line, endColumn: end.col };
  });
}

/** `LINE:COL: message` from JSON.parse's "… at position N". */
function jsonErrorWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  const clean = firstLine(message).replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
  if (!m) return ` ${clean}`;
  const offset = Math.min(Number(m[1]), text.length);
  const before = text.slice(0, offset).split(/\r?\n/);
  return `${before.length}:${before[before.length - 1].length + 1}: ${clean}`;
}

function firstLine(s: string): string {
  return String(s).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim();
}

function readProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return code ?? (e as Error).message;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A path for messages: relative to the working directory when inside or near it, with `/`. */
export function shownPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '') return path.basename(file);
  return path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}
