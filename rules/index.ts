/**
 * Every rule the linter runs, in the order they are listed. Adding a rule is adding its module here.
 */
import type { Rule } from '../src/rule';
import lambdaRubyOnly from './lambda-ruby-only';
import lambdaOutdatedRuntime from './lambda-outdated-runtime';
import lambdaNoHttp from './lambda-no-http';
import lambdaNoDatastore from './lambda-no-datastore';
import ecsFargateOnly from './ecs-fargate-only';
import ecsGlueCandidate from './ecs-glue-candidate';

export const allRules: readonly Rule[] = [lambdaNoHttp, lambdaNoDatastore, lambdaRubyOnly, lambdaOutdatedRuntime, ecsFargateOnly, ecsGlueCandidate];

export function findRule(id: string): Rule | undefined {
  return allRules.find((r) => r.meta.id === id);
}
