/**
 * Terraform's built-in functions for the evaluator. callFunction never throws: input Terraform
 * would reject becomes an invalid value (`format(): …`), an unknown argument the result depends
 * on makes the result Unknown with that argument's reason, and functions we do not evaluate
 * (provider functions, the few built-ins not implemented) are Unknown. `try` and `can` are the
 * evaluator's (they need lazy arguments). The functions live in ./functions/, one file per family.
 */
import { invalid, unknown, type Value } from '../model/value';
import { collectionFunctions } from './functions/collections';
import { conversionFunctions } from './functions/conversions';
import { encodingFunctions } from './functions/encoding';
import { fileFunctions } from './functions/files';
import { formatFunctions } from './functions/format';
import { networkFunctions } from './functions/network';
import { numberFunctions } from './functions/numbers';
import { setFunctions } from './functions/sets';
import { stringFunctions } from './functions/strings';
import {
  decidingUnknown, deepMarks, FnError, propagate, UnknownPart, type FnSpec, type FunctionContext,
} from './functions/support';
import { yamlFunctions } from './functions/yaml';

export type { FunctionContext };

const FUNCTIONS: ReadonlyMap<string, FnSpec> = new Map(Object.entries({
  ...collectionFunctions,
  ...conversionFunctions,
  ...encodingFunctions,
  ...fileFunctions,
  ...formatFunctions,
  ...networkFunctions,
  ...numberFunctions,
  ...setFunctions,
  ...stringFunctions,
  ...yamlFunctions,
}));

/** `core::length` is the same function as `length` (Terraform 1.8+). */
function baseName(name: string): string {
  return name.startsWith('core::') ? name.slice('core::'.length) : name;
}

/** Whether callFunction evaluates this function (false for provider functions and unimplemented built-ins). */
export function isKnownFunction(name: string): boolean {
  return FUNCTIONS.has(baseName(name));
}

function arity(spec: FnSpec): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if (spec.max === Number.POSITIVE_INFINITY) return `at least ${plural(spec.min)}`;
  if (spec.min === spec.max) return plural(spec.min);
  return `${spec.min} to ${spec.max} arguments`;
}

export function callFunction(name: string, args: readonly Value[], ctx: FunctionContext): Value {
  const base = baseName(name);
  const spec = FUNCTIONS.get(base);
  if (!spec) return unknown(`function ${name}() is not evaluated`, deepMarks(...args));
  const label = `${base}()`;
  if (args.length < spec.min || args.length > spec.max) {
    return invalid(`${label}: expects ${arity(spec)}, got ${args.length}`, deepMarks(...args));
  }
  if (spec.unknowns !== 'self') {
    const u = decidingUnknown(args, spec.unknowns === 'deep');
    if (u) return propagate(u, deepMarks(...args));
  }
  try {
    return spec.impl(args, ctx);
  } catch (e) {
    if (e instanceof UnknownPart) return propagate(e.value, deepMarks(...args));
    if (e instanceof FnError) return invalid(`${label}: ${e.message}`, deepMarks(...args));
    // A bug or an engine limit (e.g. a pathological regular expression) must not stop the lint.
    return unknown(`${label}: could not be evaluated (${e instanceof Error ? e.message : String(e)})`, deepMarks(...args));
  }
}
