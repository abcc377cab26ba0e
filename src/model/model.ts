/**
 * The one model every input becomes: Terraform source and plan JSON alike. Rules read only this
 * (and the graph built from it), so they never know which input a resource came from.
 */
import type { SourcePointer } from './source';
import type { ObjectValue, Value } from './value';

export type ResourceMode = 'managed' | 'data';

/** Whether the resource instance exists: `maybe` when its count/for_each could not be decided. */
export type Existence = 'exists' | 'maybe';

export interface ModuleCall {
  /** Absolute address of the module instance (`module.a`, `module.a["x"].module.b`). */
  readonly address: string;
  /** The `module "…" {}` block in its parent. */
  readonly pointer: SourcePointer;
}

export interface Resource {
  /** Absolute instance address: `module.worker.aws_lambda_function.this["nightly"]`. */
  readonly address: string;
  /** Address without the instance key (`module.worker.aws_lambda_function.this`). */
  readonly resourceAddress: string;
  /** Module instance address, '' in the root module. */
  readonly moduleAddress: string;
  readonly mode: ResourceMode;
  readonly type: string;
  readonly name: string;
  /** count index or for_each key; absent when the resource has neither. */
  readonly key?: string | number;
  readonly existence: Existence;
  /** Attribute and nested-block values; nested blocks are lists of objects (as in plan JSON). */
  readonly values: ObjectValue;
  /** The resource block (or the plan entry when no source is at hand). */
  readonly pointer: SourcePointer;
  /** Pointer to an attribute of this resource (`['vpc_config', 0, 'security_group_ids']`). */
  readonly attributePointer: (path: readonly (string | number)[]) => SourcePointer;
  /** Module calls from the root down to the module holding this resource. */
  readonly moduleChain: readonly ModuleCall[];
  /** Which root module (directory or plan file) this resource belongs to. */
  readonly root: string;
}

export type DiagnosticLevel = 'error' | 'warning' | 'note';

/** A problem with the input itself (not a policy finding): parse errors, missing modules. */
export interface Diagnostic {
  readonly level: DiagnosticLevel;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  /** Errors make the exit code 2; notes and warnings are informational. */
  readonly code: 'parse-error' | 'read-error' | 'module-not-found' | 'module-cycle' | 'usage' | 'plan-error' | 'limit' | 'unsupported';
}

export interface Model {
  readonly resources: readonly Resource[];
  /** Files the model was read from (for reporting and suppression comments). */
  readonly files: readonly string[];
}

export function attr(r: Resource, name: string): Value | undefined {
  return r.values.entries.get(name);
}
