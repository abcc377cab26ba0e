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
  /** Ephemeral resources (`ephemeral "type" "name"`, Terraform 1.10+), keyed `type.name`: their values never reach a plan. */
  readonly ephemerals = new Map<string, Decl>();
  readonly diagnostics: Diagnostic[] = [];

  /**
   * @param virtual a stub standing in for a registry module that is not on disk (rules/modules):
   *   its resources point at the module call, and it may use the `_enabled` meta-argument.
   */
  constructor(readonly dir: string, readonly files: readonly ParsedFile[], readonly virtual = false) {
    // Terraform reads override files (`override.tf`, `*_override.tf`) last and merges them into
    // the blocks they name, so the base declarations must all be known first.
    for (const f of files) if (!isOverrideFile(f.file)) this.add(f, false);
    for (const f of files) if (isOverrideFile(f.file)) this.add(f, true);
    for (const [file, names] of this.unmatchedOverrides) {
      const listed = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
      this.diagnostics.push({ level: 'warning', code: 'parse-error', file, message: `override file ${path.basename(file)} overrides ${listed}, which module ${path.basename(this.dir)} does not declare (Terraform rejects this); those overrides are ignored` });
    }
  }

  /** Blocks of override files with nothing to override, by file. */
  private readonly unmatchedOverrides = new Map<string, string[]>();

  private add(f: ParsedFile, override: boolean): void {
    const b = f.body;
    for (const [name, body] of labelled1(b.variable)) this.declare(this.variables, name, { file: f.file, path: ['variable', name], body }, 'variable', override);
    for (const [name, body] of labelled1(b.module)) this.declare(this.moduleCalls, name, { file: f.file, path: ['module', name], body }, 'module', override);
    for (const [name, body] of labelled1(b.output)) this.declare(this.outputs, name, { file: f.file, path: ['output', name], body }, 'output', override);
    for (const [type, name, body] of labelled2(b.resource)) {
      this.declare(this.resources, `${type}.${name}`, { file: f.file, path: ['resource', type, name], body, mode: 'managed', type, name }, 'resource', override);
    }
    for (const [type, name, body] of labelled2(b.ephemeral)) {
      this.declare(this.ephemerals, `${type}.${name}`, { file: f.file, path: ['ephemeral', type, name], body }, 'ephemeral resource', override);
    }
    for (const [type, name, body] of labelled2(b.data)) {
      this.declare(this.resources, `data.${type}.${name}`, { file: f.file, path: ['data', type, name], body, mode: 'data', type, name }, 'data', override);
    }
    for (const block of asBodies(b.locals)) {
      for (const [name, expr] of Object.entries(block)) {
        if (override && this.locals.has(name)) this.locals.set(name, { file: f.file, path: ['locals', name], expr });
        else if (override) this.missingBase('local value', name, f.file);
        else if (this.locals.has(name)) this.duplicate('local value', name, f.file);
        else this.locals.set(name, { file: f.file, path: ['locals', name], expr });
      }
    }
  }

  private declare<T extends Decl>(map: Map<string, T>, key: string, decl: T, what: string, override: boolean): void {
    const base = map.get(key);
    if (override) {
      // Located at the base block: the merged block is the base one with some arguments replaced.
      if (base) map.set(key, { ...base, body: mergeOverride(base.body, decl.body) });
      else this.missingBase(what, key, decl.file);
    } else if (base) this.duplicate(what, key, decl.file);
    else map.set(key, decl);
  }

  /** Terraform rejects an override block with nothing to override; it is not linted as a block of its own. */
  private missingBase(what: string, name: string, file: string): void {
    this.unmatchedOverrides.set(file, [...(this.unmatchedOverrides.get(file) ?? []), `${what} "${name}"`]);
  }

  private duplicate(what: string, name: string, file: string): void {
    this.diagnostics.push({ level: 'warning', code: 'parse-error', file, message: `duplicate ${what} "${name}" in module ${path.basename(this.dir)}; the first one is used` });
  }
}

/** `override.tf`, `override.tf.json`, `*_override.tf`, `*_override.tf.json`. */
export function isOverrideFile(file: string): boolean {
  return /^(?:.*_)?override\.tf(?:\.json)?$/.test(path.basename(file));
}

/**
 * Terraform's override merge: each argument of the override replaces the base's; a nested block
 * type in the override replaces all of the base's blocks of that type (static or `dynamic`).
 */
function mergeOverride(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  const dynamicOf = (o: JsonObject): JsonObject | undefined => (o.dynamic && typeof o.dynamic === 'object' && !Array.isArray(o.dynamic) ? o.dynamic as JsonObject : undefined);
  for (const [k, v] of Object.entries(over)) {
    if (k === 'dynamic' && dynamicOf(over)) {
      const merged: JsonObject = { ...(dynamicOf(out) ?? {}) };
      for (const [type, spec] of Object.entries(v as JsonObject)) {
        merged[type] = spec;
        delete out[type];
      }
      out.dynamic = merged;
      continue;
    }
    out[k] = v;
    const dyn = dynamicOf(out);
    if (dyn && k in dyn) {
      const rest = { ...dyn };
      delete rest[k];
      out.dynamic = rest;
    }
  }
  return out;
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

/** The directory of a root module; a single-file root is named by its file. */
export function rootDirOf(root: string): string {
  return /\.tf(\.json)?$/.test(root) ? path.dirname(root) : root;
}
