/**
 * Is this JSON a Terraform plan? Decided by content, never by file name: users name plan files
 * anything, and feed state files or unrelated JSON by mistake, so each of those gets its own
 * message that says what to run instead.
 */

/** Keys only `terraform show -json PLANFILE` output has at its top level. */
const PLAN_KEYS = ['planned_values', 'resource_changes', 'configuration', 'prior_state', 'resource_drift', 'output_changes'] as const;

const SHOW_PLAN_HINT = 'run `terraform show -json PLANFILE` on a saved plan';

export type JsonKind = 'plan' | 'state' | 'other';

/** What a parsed JSON document is: a plan (any format_version), a state, or something else. */
export function classifyJson(parsed: unknown): JsonKind {
  if (!isPlainObject(parsed)) return 'other';
  if (PLAN_KEYS.some((k) => k in parsed)) return 'plan';
  if ('values' in parsed) return 'state';
  if (isRawStateFile(parsed)) return 'state';
  // `terraform show -json` on an empty state prints only the format (and sometimes the version).
  if (isEmptyStateOutput(parsed)) return 'state';
  return 'other';
}

/**
 * True when the document is `terraform show -json` output for a plan, whatever its
 * format_version: input discovery uses it, and loadPlan then reports an unsupported version.
 */
export function isPlanJson(parsed: unknown): boolean {
  return classifyJson(parsed) === 'plan';
}

export type Detection =
  | { readonly ok: true; readonly formatVersion: string; readonly major: number; readonly minor: number }
  | { readonly ok: false; readonly message: string };

/** Whether the loader can read this document, or the one error that says why not. */
export function detectPlan(parsed: unknown): Detection {
  switch (classifyJson(parsed)) {
    case 'state':
      if (isPlainObject(parsed) && isEmptyStateOutput(parsed)) {
        return { ok: false, message: `this is an empty state file (only \`format_version\`); ${SHOW_PLAN_HINT}` };
      }
      if (isPlainObject(parsed) && !('values' in parsed)) {
        return { ok: false, message: `this is a raw state file (terraform.tfstate: top-level \`lineage\` and \`serial\`); ${SHOW_PLAN_HINT}` };
      }
      return { ok: false, message: `this is a state file (top-level \`values\`); ${SHOW_PLAN_HINT}` };
    case 'other':
      return { ok: false, message: `not a Terraform plan: ${whyNotPlan(parsed)}; ${SHOW_PLAN_HINT}` };
    case 'plan':
      return checkFormatVersion((parsed as Record<string, unknown>).format_version);
  }
}

/** Plan format 0.1 (Terraform 0.12) through 1.x; a major bump to 2 is breaking by Terraform's own rule. */
export function checkFormatVersion(v: unknown): Detection {
  const shown = v === undefined ? '(missing)' : typeof v === 'string' ? JSON.stringify(v) : `${JSON.stringify(v)} (not a string)`;
  const unsupported: Detection = { ok: false, message: `unsupported plan format_version ${shown} (supported: 0.1 to 1.x)` };
  if (typeof v !== 'string') return unsupported;
  const m = /^(\d+)\.(\d+)$/.exec(v);
  if (!m) return unsupported;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major > 1 || (major === 0 && minor < 1)) return unsupported;
  return { ok: true, formatVersion: v, major, minor };
}

function isEmptyStateOutput(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return keys.length > 0 && 'format_version' in o && keys.every((k) => k === 'format_version' || k === 'terraform_version');
}

/** `terraform.tfstate` itself (state format version 3/4), not `terraform show -json` output. */
function isRawStateFile(o: Record<string, unknown>): boolean {
  return typeof o.version === 'number' && typeof o.lineage === 'string' && 'serial' in o;
}

function whyNotPlan(parsed: unknown): string {
  if (!isPlainObject(parsed)) {
    const what = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    return `the document is ${what}, not an object with \`planned_values\` and \`resource_changes\``;
  }
  const keys = Object.keys(parsed);
  const shown = keys.slice(0, 6).map((k) => JSON.stringify(k)).join(', ') + (keys.length > 6 ? ', …' : '');
  return `no \`planned_values\`, \`resource_changes\` or \`configuration\` at the top level (found ${keys.length ? shown : 'an empty object'})`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
