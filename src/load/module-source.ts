/**
 * The declarations of one module directory, gathered from all of its files: variables, locals,
 * resources, data sources, module calls and outputs, each with the raw body and where it is.
 */
import * as path from 'path';
import type { Diagnostic } from '../model/model';
import type { PathStep } from '../model/source';
import type { JsonObject, ParsedFile } from './parse';

export interface Decl {
  readonly file: string;
  /** Pointer path of the block (`['resource', 'aws_lambda_function', 'fn']`). */
  readonly path: readonly PathStep[];
  readonly body: JsonObject;
}

export interface ResourceDecl extends Decl {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
}

export interface LocalDecl {
  readonly file: string;
  readonly path: readonly PathStep[];
  readonly expr: unknown;
}

export class ModuleSource {
  readonly variables = new Map<string, Decl>();
  readonly locals = new Map<string, LocalDecl>();
  /** Keyed `type.name` for managed resources and `data.type.name` for data sources. */
  readonly resources = new Map<string, ResourceDecl>();
  readonly moduleCalls = new Map<string, Decl>();
  readonly outputs = new Map<string, Decl>();
  readonly diagnostics: Diagnostic[] = [];

  /**
   * @param virtual a stub standing in for a registry module that is not on disk (rules/modules):
   *   its resources point at the module call, and it may use the `_enabled` meta-argument.
   */
  constructor(readonly dir: string, readonly files: readonly ParsedFile[], readonly virtual = false) {
    for (const f of files) this.add(f);
  }

  private add(f: ParsedFile): void {
    const b = f.body;
    for (const [name, body] of labelled1(b.variable)) this.declare(this.variables, name, { file: f.file, path: ['variable', name], body }, 'variable');
    for (const [name, body] of labelled1(b.module)) this.declare(this.moduleCalls, name, { file: f.file, path: ['module', name], body }, 'module');
    for (const [name, body] of labelled1(b.output)) this.declare(this.outputs, name, { file: f.file, path: ['output', name], body }, 'output');
    for (const [type, name, body] of labelled2(b.resource)) {
      this.declare(this.resources, `${type}.${name}`, { file: f.file, path: ['resource', type, name], body, mode: 'managed', type, name }, 'resource');
    }
    for (const [type, name, body] of labelled2(b.data)) {
      this.declare(this.resources, `data.${type}.${name}`, { file: f.file, path: ['data', type, name], body, mode: 'data', type, name }, 'data');
    }
    for (const block of asBodies(b.locals)) {
      for (const [name, expr] of Object.entries(block)) {
        if (this.locals.has(name)) this.duplicate('local value', name, f.file);
        else this.locals.set(name, { file: f.file, path: ['locals', name], expr });
      }
    }
  }

  private declare<T extends Decl>(map: Map<string, T>, key: string, decl: T, what: string): void {
    if (map.has(key)) this.duplicate(what, key, decl.file);
    else map.set(key, decl);
  }

  private duplicate(what: string, name: string, file: string): void {
    this.diagnostics.push({ level: 'warning', code: 'parse-error', file, message: `duplicate ${what} "${name}" in module ${path.basename(this.dir)}; the first one is used` });
  }
}

/** Bodies of a block type: hcl2json gives arrays; be lenient with single objects. */
export function asBodies(v: unknown): JsonObject[] {
  if (Array.isArray(v)) return v.filter((x): x is JsonObject => !!x && typeof x === 'object' && !Array.isArray(x));
  if (v && typeof v === 'object') return [v as JsonObject];
  return [];
}

function* labelled1(v: unknown): Generator<[string, JsonObject]> {
  if (!v || typeof v !== 'object') return;
  for (const [name, bodies] of Object.entries(v as JsonObject)) for (const body of asBodies(bodies)) yield [name, body];
}

function* labelled2(v: unknown): Generator<[string, string, JsonObject]> {
  if (!v || typeof v !== 'object') return;
  for (const [type, byName] of Object.entries(v as JsonObject)) {
    for (const [name, body] of labelled1(byName)) yield [type, name, body];
  }
}
