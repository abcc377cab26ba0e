/**
 * Where things are. A SourcePointer names a block or attribute by its path inside a file
 * (not by line), so the model stays cheap to build; a Locator turns pointers into exact
 * line/column ranges only for the findings that get reported.
 */

/** One step into a file: a block type, a block label, an attribute name, or a position among
 *  same-type nested blocks (or a JSON array index). */
export type PathStep = string | number;

export interface SourcePointer {
  /** Path of the file as given to the linter (absolute). */
  readonly file: string;
  /**
   * For HCL (`.tf`, `.tf.json`, `.tfvars`): block type, its labels, then nested block names
   * with their index among blocks of that name, ending at an attribute, e.g.
   * `['resource', 'aws_lambda_function', 'fn', 'vpc_config', 0, 'security_group_ids']`,
   * `['locals', 'runtime']`, `['module', 'worker', 'runtime']`, `['runtime']` (tfvars).
   * For JSON documents that are not Terraform (plans): the JSON path.
   */
  readonly path: readonly PathStep[];
  /** How the file is addressed; plan files are located by JSON path. */
  readonly kind: 'hcl' | 'json';
}

/** 1-based lines and columns; endColumn is the column after the last character (as SARIF). */
export interface Region {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface Location {
  readonly file: string;
  readonly region: Region;
}

export function hclPointer(file: string, path: readonly PathStep[]): SourcePointer {
  return { file, path, kind: 'hcl' };
}

export function jsonPointer(file: string, path: readonly PathStep[]): SourcePointer {
  return { file, path, kind: 'json' };
}

export function childPointer(p: SourcePointer, ...steps: PathStep[]): SourcePointer {
  return { file: p.file, path: [...p.path, ...steps], kind: p.kind };
}

export function pointerKey(p: SourcePointer): string {
  return `${p.file}#${p.path.join('/')}`;
}
