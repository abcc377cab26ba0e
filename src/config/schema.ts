/**
 * Validation of the config file against the published schema (schemas/config.schema.json), with
 * ajv's first error turned into one sentence a person can act on: the key path as written in the
 * file (`rules.lambda-ruby-only.level`) and what was expected there.
 *
 * A rule the published schema does not list yet (one added since) is accepted with a level and
 * no options, so the schema can lag a release without rejecting valid configs.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import published from '../../schemas/config.schema.json';
import { SUPPRESSION_RULE_ID } from '../suppress/rule';
import { nearest } from './nearest';

export const CONFIG_SCHEMA: object = published;

type JsonSchema = { [key: string]: unknown };

const compiled = new Map<string, ValidateFunction>();

/** The schema with every rule in `ruleIds` allowed under `rules` and `exceptions[].rule`. */
export function schemaFor(ruleIds: readonly string[]): JsonSchema {
  const schema = JSON.parse(JSON.stringify(published)) as JsonSchema;
  const props = schema.properties as Record<string, JsonSchema>;
  const ruleProps = props.rules.properties as Record<string, unknown>;
  const exceptionRule = ((props.exceptions.items as JsonSchema).properties as Record<string, JsonSchema>).rule;
  const ruleEnum = exceptionRule.enum as string[];
  for (const id of ruleIds) {
    if (!(id in ruleProps)) ruleProps[id] = { $ref: '#/definitions/ruleWithoutOptions' };
    // Broken suppression comments are fixed, not excepted.
    if (!ruleEnum.includes(id) && id !== SUPPRESSION_RULE_ID) ruleEnum.push(id);
  }
  return schema;
}

function validator(ruleIds: readonly string[]): ValidateFunction {
  const key = [...ruleIds].sort().join(',');
  let v = compiled.get(key);
  if (!v) {
    // verbose: errors carry the failing schema and data, which the messages below need.
    // Loaded on first use: most runs have no config file to validate.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv: typeof import('ajv').default = require('ajv').default;
    const ajv = new Ajv({ allErrors: false, verbose: true, strict: true });
    v = ajv.compile(schemaFor(ruleIds));
    compiled.set(key, v);
  }
  return v;
}

/** `KEY.PATH: what was expected`, or undefined when the data is valid. */
export function validateConfig(data: unknown, ruleIds: readonly string[]): string | undefined {
  const validate = validator(ruleIds);
  if (validate(data)) return undefined;
  return describe(validate.errors ?? [], ruleIds);
}

function describe(errors: readonly ErrorObject[], ruleIds: readonly string[]): string {
  const anyOf = errors.find((e) => e.keyword === 'anyOf');
  let e = errors[0];
  if (anyOf) {
    // Of the alternatives' errors, the one from the alternative of the data's own type says most.
    const own = errors.filter((x) => x !== anyOf && !(x.keyword === 'type' && x.instancePath === anyOf.instancePath));
    e = own[0] ?? anyOf;
  }
  if (!e) return 'is not valid';
  const at = keyPath(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      return `${join(at, key)}: ${unknownKey(e, key, ruleIds)}`;
    }
    case 'required':
      return `${join(at, String((e.params as { missingProperty: string }).missingProperty))}: is required`;
    case 'enum':
      return `${at || '(top level)'}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ')}`;
    case 'type':
      return `${at || '(top level)'}: must be ${typeWords(String((e.params as { type: string }).type))}, not ${kindOf(e.data)}`;
    case 'minimum':
      return `${at}: must be ${(e.params as { limit: number }).limit} or more`;
    case 'minItems':
      return `${at}: must list at least ${(e.params as { limit: number }).limit} item${(e.params as { limit: number }).limit === 1 ? '' : 's'}`;
    case 'minLength':
      return `${at}: must not be empty`;
    case 'pattern':
      return `${at}: ${patternWords(String((e.params as { pattern: string }).pattern))}`;
    case 'anyOf':
      return `${at}: must be a resource type name (aws_dynamodb_table) or a mapping with type, and optionally securityGroups and label`;
    default:
      return `${at || '(top level)'}: ${e.message ?? 'is not valid'}`;
  }
}

function unknownKey(e: ErrorObject, key: string, ruleIds: readonly string[]): string {
  const path = e.instancePath.split('/').slice(1).map(unescape);
  const expected = Object.keys(((e.parentSchema as JsonSchema | undefined)?.properties as object | undefined) ?? {}).filter((k) => k !== '$schema');
  if (path.length === 1 && path[0] === 'rules') {
    const near = nearest(key, ruleIds);
    return `unknown rule${near ? ` (did you mean ${near}?)` : ''}; the rules are ${ruleIds.join(', ')}`;
  }
  if (path.length === 3 && path[0] === 'rules' && path[2] === 'options') {
    return expected.length ? `unknown option for ${path[1]} (its options: ${expected.join(', ')})` : `unknown option: ${path[1]} has no options`;
  }
  return `unknown key${expected.length ? ` (expected ${expected.join(', ')})` : ''}`;
}

const PATTERN_WORDS: Record<string, string> = {
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}$': 'must be a date as YYYY-MM-DD',
  '^(data\\.)?[a-z][a-z0-9_]*$': 'must be a resource type name such as aws_dynamodb_table (data sources as data.<type>)',
  '^[a-z0-9_]+$': 'must be an attribute name such as vpc_security_group_ids',
  '\\S': 'must not be empty',
};

function patternWords(pattern: string): string {
  return PATTERN_WORDS[pattern] ?? `must match ${pattern}`;
}

function typeWords(type: string): string {
  switch (type) {
    case 'object': return 'a mapping';
    case 'array': return 'a list';
    case 'string': return 'a string';
    case 'integer': return 'a whole number';
    case 'number': return 'a number';
    case 'boolean': return 'true or false';
    default: return type;
  }
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string "${v.length > 40 ? v.slice(0, 40) + '…' : v}"`;
  return String(v);
}

/** `/rules/lambda-ruby-only/level` → `rules.lambda-ruby-only.level`; `/exceptions/0/reason` → `exceptions[0].reason`. */
export function keyPath(pointer: string): string {
  let out = '';
  for (const seg of pointer.split('/').slice(1).map(unescape)) out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}
