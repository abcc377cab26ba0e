/**
 * `lambda-adr-lint-suppression`: the linter's own findings about suppression comments that do not
 * work (no reason, an unknown rule, a bad expiry date, nothing below them). They are findings
 * rather than input problems so they sit on the comment's line in every format (SARIF results,
 * PR annotations), can be given a level in the config like any rule, and fail the run only at
 * `--fail-on warning` or lower by default. The check is empty: the suppression pass reports them.
 */
import type { Rule } from '../rule';

export const SUPPRESSION_RULE_ID = 'lambda-adr-lint-suppression';

export const suppressionRule: Rule = {
  meta: {
    id: SUPPRESSION_RULE_ID,
    name: 'LambdaAdrLintSuppression',
    shortDescription: 'Suppression comments must name known rules, give a reason and sit above what they suppress',
    fullDescription:
      'Reports a `lambda-adr-lint:ignore` comment that suppresses nothing or less than it says: it has no reason, ' +
      'names an unknown rule, has an expiry that is not a YYYY-MM-DD date or an unknown key, or is not directly ' +
      'above a block or attribute. Such a comment does not suppress (unknown rule IDs aside, which are only reported), ' +
      'so the finding it was meant for is reported as well.',
    defaultLevel: 'warning',
    securitySeverity: '0.0',
    precision: 'very-high',
    tags: ['adr030', 'suppression', 'maintainability'],
    adr: 'This ADR addresses where we run infrastructure code, and provides guidance on when not to follow the ADR.',
  },
  check: () => undefined,
};
