/**
 * Variable type constraints, as far as they change values: `optional(T, default)` attributes of
 * object types are filled in (or set to null) the way Terraform does before a module sees the
 * value, through maps, lists, sets and tuples of objects. Other conversions are left alone.
 */
import type { Expr } from '../hcl/ast';
import { singleInterpolation } from '../hcl/ast';
import { HclSyntaxError, parseTemplate } from '../hcl/parser';
import { list, NULL, obj, type Origin, type Value } from '../model/value';
import { evaluate, type Scope } from './evaluate';

/** The type expression of a variable (`type = object({…})`), or undefined when absent or unreadable. */
export function parseTypeConstraint(raw: unknown): Expr | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const t = parseTemplate(raw);
    return singleInterpolation(t);
  } catch (e) {
    if (e instanceof HclSyntaxError) return undefined;
    throw e;
  }
}

/** The value with the defaults its type declares. Unknown values and values of other shapes pass unchanged. */
export function applyTypeDefaults(value: Value, type: Expr, scope: Scope, origin: Origin, depth = 0): Value {
  if (depth > 32 || type.type !== 'call' || value.kind === 'unknown' || value.kind === 'null') return value;
  const [arg] = type.args;
  switch (type.name) {
    case 'object': {
      if (value.kind !== 'object' || !arg || arg.type !== 'object') return value;
      const entries = new Map(value.entries);
      for (const item of arg.items) {
        if (item.key.type !== 'literal' || typeof item.key.value !== 'string') continue;
        const name = item.key.value;
        let attrType = item.value;
        const current = entries.get(name);
        if (attrType.type === 'call' && attrType.name === 'optional') {
          const [inner, fallback] = attrType.args;
          if (!current || current.kind === 'null') {
            entries.set(name, fallback ? evaluate(fallback, { scope, origin }) : NULL);
          }
          if (!inner) continue;
          attrType = inner;
        }
        const v = entries.get(name);
        if (v) entries.set(name, applyTypeDefaults(v, attrType, scope, origin, depth + 1));
      }
      return obj(entries, value.marks);
    }
    case 'map':
      if (!arg || value.kind !== 'object') return value;
      return obj(new Map([...value.entries].map(([k, v]) => [k, applyTypeDefaults(v, arg, scope, origin, depth + 1)])), value.marks);
    case 'list': case 'set':
      if (!arg || value.kind !== 'list') return value;
      return list(value.items.map((v) => applyTypeDefaults(v, arg, scope, origin, depth + 1)), value.marks);
    case 'tuple':
      if (!arg || arg.type !== 'tuple' || value.kind !== 'list') return value;
      return list(value.items.map((v, i) => (arg.items[i] ? applyTypeDefaults(v, arg.items[i], scope, origin, depth + 1) : v)), value.marks);
    default:
      return value;
  }
}
