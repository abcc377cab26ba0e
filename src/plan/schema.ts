/**
 * The shape of the plan JSON parts the loader reads, and nothing more: Terraform adds keys in
 * minor format versions, so everything else is allowed. Values (`after`, `values`) are left
 * open because any JSON is a valid attribute value. Compiled once, on first use.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

const stringArray = { type: 'array', items: { type: 'string' } };
const instanceKey = { type: ['string', 'number'] };

/** One resource in a values representation (planned_values, prior_state.values). */
const valuesResource = {
  type: 'object',
  required: ['address', 'mode', 'type', 'name'],
  properties: {
    address: { type: 'string' },
    mode: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    index: instanceKey,
    values: { type: ['object', 'null'] },
    deposed_key: { type: 'string' },
  },
};

const change = {
  type: 'object',
  required: ['actions'],
  properties: {
    actions: { type: 'array', items: { type: 'string' }, minItems: 1 },
    after: { type: ['object', 'null'] },
  },
};

const resourceChange = {
  type: 'object',
  required: ['address', 'mode', 'type', 'name', 'change'],
  properties: {
    address: { type: 'string' },
    module_address: { type: 'string' },
    mode: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    index: instanceKey,
    deposed: { type: 'string' },
    change,
  },
};

/** An expression: `constant_value` and/or `references` (block expressions are checked while walking). */
const expression = {
  type: 'object',
  properties: { references: stringArray },
};

const configResource = {
  type: 'object',
  required: ['address', 'mode', 'type', 'name'],
  properties: {
    address: { type: 'string' },
    mode: { type: 'string' },
    type: { type: 'string' },
    name: { type: 'string' },
    expressions: { type: 'object' },
  },
};

export const planSchema = {
  $id: 'lambda-adr-lint/terraform-plan',
  type: 'object',
  required: ['format_version'],
  properties: {
    format_version: { type: 'string' },
    planned_values: { $ref: '#/definitions/values' },
    resource_changes: { type: 'array', items: resourceChange },
    deferred_changes: {
      type: 'array',
      items: { type: 'object', required: ['resource_change'], properties: { resource_change: resourceChange } },
    },
    prior_state: {
      type: 'object',
      properties: { values: { $ref: '#/definitions/values' } },
    },
    configuration: {
      type: 'object',
      properties: { root_module: { $ref: '#/definitions/configModule' } },
    },
  },
  definitions: {
    values: {
      type: 'object',
      properties: { root_module: { $ref: '#/definitions/valuesModule' } },
    },
    valuesModule: {
      type: 'object',
      properties: {
        address: { type: 'string' },
        resources: { type: 'array', items: valuesResource },
        child_modules: { type: 'array', items: { $ref: '#/definitions/valuesModule' } },
      },
    },
    configModule: {
      type: 'object',
      properties: {
        resources: { type: 'array', items: configResource },
        module_calls: { type: 'object', additionalProperties: { $ref: '#/definitions/moduleCall' } },
        outputs: {
          type: 'object',
          additionalProperties: { type: 'object', properties: { expression } },
        },
      },
    },
    moduleCall: {
      type: 'object',
      properties: {
        source: { type: 'string' },
        expressions: { type: 'object', additionalProperties: true },
        module: { $ref: '#/definitions/configModule' },
      },
    },
  },
} as const;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // allErrors off: the first problem is the one reported, and validation stops there.
  compiled ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(planSchema);
  return compiled;
}

/** The first schema violation as `resource_changes[3].change.actions: must be array`, or undefined. */
export function validatePlanShape(plan: unknown): { message: string; path: (string | number)[] } | undefined {
  const validate = validator();
  if (validate(plan)) return undefined;
  const err = validate.errors?.[0];
  if (!err) return { message: 'the plan does not have the expected shape', path: [] };
  const path = instancePathSteps(err.instancePath);
  return { message: `${formatJsonPath(path)}: ${describeError(err)}`, path };
}

/** `/resource_changes/3/change` → ['resource_changes', 3, 'change'] (JSON Pointer unescaping). */
export function instancePathSteps(instancePath: string): (string | number)[] {
  if (!instancePath) return [];
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** ['resource_changes', 3, 'change'] → `resource_changes[3].change`; odd keys are quoted. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

function describeError(err: ErrorObject): string {
  const base = err.message ?? 'is not valid';
  if (err.keyword === 'type') return base.replace(/,/g, ' or ');
  return base;
}
