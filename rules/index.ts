/**
 * Every rule the linter runs, in the order they are listed. Adding a rule is adding its module here.
 */
import type { Rule } from '../src/rule';
import lambdaRubyOnly from './lambda-ruby-only';
import lambdaOutdatedRuntime from './lambda-outdated-runtime';

export const allRules: readonly Rule[] = [lambdaRubyOnly, lambdaOutdatedRuntime];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
