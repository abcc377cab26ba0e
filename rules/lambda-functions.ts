/**
 * Which resources are Lambda functions, how to read their runtime, and where a finding about one
 * of their attributes belongs. Shared by the runtime rules so they agree on every case.
 */
import type { Graph } from '../src/graph/graph';
import type { Resource } from '../src/model/model';
import { pointerKey, type SourcePointer } from '../src/model/source';
import type { UnknownValue, Value } from '../src/model/value';
import { resourceContext, type RelatedLocation } from '../src/rule';
import { LAMBDA_FUNCTION } from '../src/graph/lambda-links';

/** Managed Lambda functions only: `data.aws_lambda_function` is deployed elsewhere, not ours to judge. */

export function lambdaFunctions(graph: Graph): Resource[] {
  return graph.ofType(LAMBDA_FUNCTION).filter((r) => r.mode === 'managed');
}

/** What the function's runtime is, as far as the configuration tells. */
export type RuntimeReading =
  /** A runtime identifier; `value` is the attribute's value (its marks say where it was written). */
  | { readonly kind: 'known'; readonly id: string; readonly value: Value }
  /** The runtime (or the package type that decides whether one applies) cannot be known. */
  | { readonly kind: 'unknown'; readonly attribute: 'runtime' | 'package_type'; readonly value: UnknownValue }
  /** A container image function: the language lives in the image. */
  | { readonly kind: 'image'; readonly value: Value }
  /** A Zip function without a runtime (the AWS provider rejects it at plan time). */
  | { readonly kind: 'absent' }
  /** A runtime that is not a single identifier (a list or object). */
  | { readonly kind: 'invalid'; readonly value: Value };

export function readRuntime(r: Resource): RuntimeReading {
  const packageType = r.values.entries.get('package_type');
  const runtime = r.values.entries.get('runtime');
  // The provider treats "" like an unset string attribute.
  const runtimeGiven = runtime !== undefined && runtime.kind !== 'null' && !(runtime.kind === 'string' && runtime.value === '');
  if (packageType?.kind === 'string' && packageType.value === 'Image') return { kind: 'image', value: packageType };
  if (!runtimeGiven) {
    // Only the package type can say whether a missing runtime is a problem.
    if (packageType?.kind === 'unknown') return { kind: 'unknown', attribute: 'package_type', value: packageType };
    return { kind: 'absent' };
  }
  switch (runtime.kind) {
    case 'unknown': return { kind: 'unknown', attribute: 'runtime', value: runtime };
    case 'string': return { kind: 'known', id: runtime.value, value: runtime };
    // Terraform converts a number or bool to the string attribute's type.
    case 'number': case 'bool': return { kind: 'known', id: String(runtime.value), value: runtime };
    default: return { kind: 'invalid', value: runtime };
  }
}

/** Where a finding about one attribute of a function is reported, and what is shown beside it. */
export interface FindingSite {
  readonly pointer: SourcePointer;
  readonly related: RelatedLocation[];
  /** How the value reached the attribute ("module input", "variable default"), when it was
   *  supplied elsewhere than in the attribute itself. */
  readonly via?: string;
}

/**
 * A finding caused by an attribute's value belongs where the value was supplied (its origin: a
 * module call argument, a tfvars line, a variable default), with the resource block, the
 * attribute and the module calls as related locations; without an origin, at the attribute.
 */
export function attributeSite(r: Resource, attribute: string, value: Value | undefined): FindingSite {
  const attrPointer = r.attributePointer([attribute]);
  const related = resourceContext(r);
  const origin = value?.marks?.origin;
  if (!origin || pointerKey(origin.pointer) === pointerKey(attrPointer)) return { pointer: attrPointer, related };
  related.splice(1, 0, { pointer: attrPointer, message: `${attribute} of ${r.address}` });
  return { pointer: origin.pointer, related, ...(origin.via ? { via: origin.via } : {}) };
}

/** " (from module input)" when the value came from elsewhere, else "". */
export function fromWords(site: FindingSite): string {
  return site.via ? ` (from ${site.via})` : '';
}
