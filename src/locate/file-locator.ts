/**
 * The Locator: reads a file, and indexes its ranges, the first time a pointer into it is
 * located, then keeps both. Regions are computed from string offsets against the file's own
 * line starts, so columns count UTF-16 code units (SARIF's default) whatever the characters.
 */
import * as fs from 'fs';
import type { Language as TSLanguage, Parser as TSParser } from 'web-tree-sitter';
import { HCL_GRAMMAR_WASM, TREE_SITTER_WASM, assetPath } from '../assets';
import type { Location, Region, SourcePointer } from '../model/source';
import { HclRangeIndex } from './hcl-ranges';
import { JsonRangeIndex, resolveTerraformJson } from './json-ranges';
import type { Locator, Resolved, TextSpan } from './locator';

/** Where a pointer lands when nothing in the file matches (SARIF regions start at 1). */
export const FIRST_CHARACTER: Region = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 };

/** One file's text, line starts and range indexes, each made on first use. */
class SourceFile {
  private lineStarts: number[] | undefined;
  private lineTexts: string[] | undefined;
  private hcl: HclRangeIndex | null | undefined;
  private json: JsonRangeIndex | undefined;

  constructor(readonly text: string | undefined) {}

  lines(): readonly string[] {
    if (this.text === undefined) return [];
    this.lineTexts ??= this.text.split(/\r?\n/);
    return this.lineTexts;
  }

  hclIndex(parser: TSParser): HclRangeIndex | undefined {
    if (this.hcl === undefined) this.hcl = (this.text !== undefined && HclRangeIndex.parse(parser, this.text)) || null;
    return this.hcl ?? undefined;
  }

  jsonIndex(): JsonRangeIndex | undefined {
    if (this.text === undefined) return undefined;
    this.json ??= new JsonRangeIndex(this.text);
    return this.json;
  }

  /** 1-based line/column region of [start, end); an end at a line start moves back to the end of
   *  the line before, and a trailing CR is never part of a region. */
  region(span: TextSpan): Region {
    const start = this.position(span.start, false);
    const end = this.position(Math.max(span.end, span.start + 1), true);
    if (end.line < start.line || (end.line === start.line && end.column <= start.column)) {
      return { startLine: start.line, startColumn: start.column, endLine: start.line, endColumn: start.column + 1 };
    }
    return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
  }

  private position(offset: number, isEnd: boolean): { line: number; column: number } {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    if (isEnd && lo > 0 && offset === starts[lo]) lo--; // exclusive end right after a newline
    const text = this.text ?? '';
    let lineEnd = lo + 1 < starts.length ? starts[lo + 1] - 1 : text.length;
    if (lineEnd > starts[lo] && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    return { line: lo + 1, column: Math.min(offset, lineEnd) - starts[lo] + 1 };
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const text = this.text ?? '';
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }
}

function readText(file: string): string | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors do not count a BOM
  } catch {
    return undefined;
  }
}

/** Terraform's JSON syntax is located by HCL semantics but read as JSON. */
function isJsonSyntax(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

export class FileLocator implements Locator {
  private readonly files = new Map<string, SourceFile>();

  constructor(private readonly parser: TSParser) {}

  locate(pointer: SourcePointer): Location {
    const file = this.file(pointer.file);
    let found: Resolved | undefined;
    try {
      found = this.resolve(file, pointer);
    } catch {
      found = undefined; // a malformed file never stops a report
    }
    return { file: pointer.file, region: found ? file.region(found.span) : FIRST_CHARACTER };
  }

  lines(file: string): readonly string[] {
    return this.file(file).lines();
  }

  private resolve(file: SourceFile, pointer: SourcePointer): Resolved | undefined {
    if (pointer.kind === 'json') {
      const found = file.jsonIndex()?.resolvePath(pointer.path);
      return found && (found.depth > 0 || pointer.path.length === 0) ? found : undefined;
    }
    if (isJsonSyntax(pointer.file)) {
      const index = file.jsonIndex();
      return index && resolveTerraformJson(index, pointer.path);
    }
    return file.hclIndex(this.parser)?.resolve(pointer.path);
  }

  private file(name: string): SourceFile {
    let file = this.files.get(name);
    if (!file) {
      file = new SourceFile(readText(name));
      this.files.set(name, file);
    }
    return file;
  }
}

interface TreeSitter {
  readonly Parser: typeof TSParser;
  readonly Language: typeof TSLanguage;
}

let hclParser: Promise<TSParser> | undefined;

/**
 * web-tree-sitter with the HCL grammar, loaded once per process and shared: a second
 * `Parser.init` would replace the WebAssembly module under parsers already made, so any other
 * code that needs tree-sitter must come through here.
 */
export function loadHclParser(): Promise<TSParser> {
  hclParser ??= (async () => {
    // The CommonJS build; the grammar from bytes, which also works under Jest's module system.
    const { Parser, Language } = require('web-tree-sitter') as TreeSitter;
    const runtime = assetPath(TREE_SITTER_WASM);
    await Parser.init({ locateFile: () => runtime });
    const grammar = await Language.load(fs.readFileSync(assetPath(HCL_GRAMMAR_WASM)));
    const parser = new Parser();
    parser.setLanguage(grammar);
    return parser;
  })();
  hclParser.catch(() => {
    hclParser = undefined; // let a later call retry
  });
  return hclParser;
}

/** A Locator with its own file cache; after this resolves, locate() is synchronous. */
export async function createLocator(): Promise<Locator> {
  return new FileLocator(await loadHclParser());
}
