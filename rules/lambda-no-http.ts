/**
 * lambda-no-http: ADR030 says to strictly avoid Lambda for any workload that handles HTTP
 * requests. Every HTTP front door a function can sit behind is a row of FRONT_DOORS: the resource
 * types, the attribute that names the function, and (where the type alone does not decide) a test
 * of the front door itself. Linking is the shared graph query `linksByFunction`.
 */
import type { Graph } from '../src/graph/graph';
import { linksByFunction, type FunctionLink, type PathPattern } from '../src/graph/lambda-links';
import type { Resource } from '../src/model/model';
import { asString, getAttr, type Value } from '../src/model/value';
import { pointerKey } from '../src/model/source';
import { resourceContext, type RelatedLocation, type Rule, type RuleContext } from '../src/rule';

/** Whether a front door serves HTTP: yes, no, or unknown with the reason. */
export type Decision = { readonly serves: true; readonly detail?: string } | { readonly serves: false } | { readonly serves: 'unknown'; readonly reason: string };

export interface FrontDoor {
  readonly types: readonly string[];
  readonly pattern: PathPattern;
  readonly label: string;
  readonly decide?: (door: Resource, graph: Graph) => Decision;
}

const HTTP_PRINCIPALS: Record<string, string> = {
  'apigateway.amazonaws.com': 'API Gateway',
  'elasticloadbalancing.amazonaws.com': 'Elastic Load Balancing',
};

/** A permission serves HTTP when it lets API Gateway or a load balancer invoke, or opens a public function URL. */
function permissionDecision(p: Resource): Decision {
  const principal = getAttr(p.values, 'principal');
  const action = asString(getAttr(p.values, 'action'));
  if (!principal || principal.kind === 'unknown') {
    return { serves: 'unknown', reason: `its principal ${principal?.kind === 'unknown' ? `depends on ${principal.reason}` : 'is not set'}` };
  }
  const text = asString(principal);
  if (text === undefined) return { serves: false };
  const service = HTTP_PRINCIPALS[text.trim().toLowerCase()];
  if (service) return { serves: true, detail: `lets ${service} (${text}) invoke it` };
  const viaUrl = getAttr(p.values, 'invoked_via_function_url');
  if (action === 'lambda:InvokeFunctionUrl' || (viaUrl?.kind === 'bool' && viaUrl.value)) return { serves: true, detail: `allows invocation through its function URL (principal ${text})` };
  return { serves: false };
}

/** An ALB attachment serves HTTP unless its target group is known not to be a Lambda target group. */
function attachmentDecision(a: Resource, graph: Graph): Decision {
  const groups = graph.referencesAt(a, ['target_group_arn']).map((e) => e.to).filter((r) => /^aws_(a)?lb_target_group$/.test(r.type));
  if (groups.length === 0) return { serves: true, detail: 'attaches it to a load balancer target group' };
  const types = groups.map((g) => getAttr(g.values, 'target_type'));
  if (types.some((t) => asString(t) === 'lambda')) return { serves: true, detail: `attaches it to the Lambda target group ${groups[0].address}` };
  const unknownType = types.find((t): t is Extract<Value, { kind: 'unknown' }> => t?.kind === 'unknown');
  if (unknownType) return { serves: 'unknown', reason: `the target type of ${groups[0].address} depends on ${unknownType.reason}` };
  return { serves: false };
}

export const FRONT_DOORS: readonly FrontDoor[] = [
  { types: ['aws_api_gateway_integration'], pattern: ['uri'], label: 'API Gateway REST integration' },
  { types: ['aws_api_gateway_authorizer'], pattern: ['authorizer_uri'], label: 'API Gateway REST authorizer' },
  { types: ['aws_apigatewayv2_integration'], pattern: ['integration_uri'], label: 'API Gateway HTTP/WebSocket integration' },
  { types: ['aws_apigatewayv2_authorizer'], pattern: ['authorizer_uri'], label: 'API Gateway HTTP/WebSocket authorizer' },
  { types: ['aws_apigatewayv2_api'], pattern: ['target'], label: 'API Gateway HTTP API quick-create target' },
  { types: ['aws_api_gateway_rest_api'], pattern: ['body'], label: 'OpenAPI body of API Gateway REST API' },
  { types: ['aws_apigatewayv2_api'], pattern: ['body'], label: 'OpenAPI body of API Gateway HTTP API' },
  { types: ['aws_lambda_permission'], pattern: ['function_name'], label: 'Lambda permission', decide: permissionDecision },
  { types: ['aws_lambda_function_url'], pattern: ['function_name'], label: 'Lambda function URL' },
  { types: ['aws_lb_target_group_attachment', 'aws_alb_target_group_attachment'], pattern: ['target_id'], label: 'load balancer target group attachment', decide: attachmentDecision },
  { types: ['aws_cloudfront_distribution'], pattern: ['default_cache_behavior', '*', 'lambda_function_association', '*', 'lambda_arn'], label: 'CloudFront Lambda@Edge association' },
  { types: ['aws_cloudfront_distribution'], pattern: ['ordered_cache_behavior', '*', 'lambda_function_association', '*', 'lambda_arn'], label: 'CloudFront Lambda@Edge association' },
];

const ADR_SENTENCE = 'We should strictly avoid using AWS Lambda for any workload that handles HTTP requests.';

const rule: Rule = {
  meta: {
    id: 'lambda-no-http',
    name: 'LambdaNoHttp',
    shortDescription: 'Lambda functions must not serve HTTP requests',
    fullDescription:
      'ADR030 strictly avoids AWS Lambda for workloads that handle HTTP requests. Reports a function that ' +
      'is the target of an API Gateway integration or authorizer, an HTTP API quick-create target, an ' +
      'OpenAPI body, a Lambda permission for API Gateway or Elastic Load Balancing, a function URL, an ' +
      'ALB target group, or a CloudFront Lambda@Edge association. Warns when a permission could not be decided.',
    defaultLevel: 'error',
    securitySeverity: '6.5',
    precision: 'high',
    tags: ['adr030', 'lambda', 'http', 'architecture'],
    adr: ADR_SENTENCE,
  },

  check(ctx: RuleContext): void {
    // One finding per function, naming every front door it sits behind.
    const byFunction = new Map<Resource, DoorLink[]>();
    for (const door of FRONT_DOORS) {
      for (const [fn, links] of linksByFunction(ctx.graph, door.types, door.pattern)) {
        for (const link of links) {
          const decision = door.decide ? door.decide(link.via, ctx.graph) : ({ serves: true } as Decision);
          if (decision.serves === false) continue;
          byFunction.set(fn, [...(byFunction.get(fn) ?? []), { door, link, decision }]);
        }
      }
    }
    for (const [fn, doors] of byFunction) reportFunction(ctx, fn, doors);
  },
};

interface DoorLink {
  readonly door: FrontDoor;
  readonly link: FunctionLink;
  readonly decision: Exclude<Decision, { serves: false }>;
}

/** "API Gateway REST integration aws_api_gateway_integration.get (through alias …) — it lets …" */
function describeDoor({ door, link, decision }: DoorLink): string {
  const how = [link.alias ? `through alias ${link.alias.address}` : '', link.byName ? 'matched by function name' : ''].filter(Boolean).join(', ');
  const detail = decision.serves === true && decision.detail ? ` — it ${decision.detail}` : '';
  return `${door.label} ${link.via.address}${how ? ` (${how})` : ''}${detail}`;
}

function reportFunction(ctx: RuleContext, fn: Resource, doors: readonly DoorLink[]): void {
  const serving = doors.filter((d) => d.decision.serves === true);
  const shown = serving.length ? serving : doors;
  const related: RelatedLocation[] = [];
  const seen = new Set<string>();
  const add = (r: RelatedLocation): void => {
    const key = `${pointerKey(r.pointer)}|${r.message}`;
    if (!seen.has(key)) { seen.add(key); related.push(r); }
  };
  for (const { door, link } of shown) {
    add({ pointer: link.via.attributePointer(link.path), message: `${door.label} ${link.via.address}` });
    if (link.alias) add({ pointer: link.alias.pointer, message: `alias ${link.alias.address}` });
  }
  resourceContext(fn).slice(1).forEach(add);
  for (const { link } of shown) link.via.moduleChain.forEach((c) => add({ pointer: c.pointer, message: `module call ${c.address}` }));
  const list = joinWords(shown.map(describeDoor));
  if (!serving.length) {
    const reasons = joinWords(doors.map((d) => (d.decision.serves === 'unknown' ? d.decision.reason : '')).filter(Boolean));
    ctx.report({
      level: 'warning',
      address: fn.address,
      pointer: fn.pointer,
      related,
      message: `could not decide whether ${fn.address} serves HTTP: ${list} refers to it, but ${reasons}.`,
    });
    return;
  }
  ctx.report({
    address: fn.address,
    pointer: fn.pointer,
    related,
    message: `${fn.address} handles HTTP requests: it is behind ${list}. ADR030: "${ADR_SENTENCE}" Run this workload on ECS Fargate, or make the function an asynchronous consumer (EventBridge, SQS, SNS).`,
  });
}

/** "a", "a and b", "a, b and c". */
function joinWords(items: readonly string[]): string {
  const unique = [...new Set(items)];
  return unique.length <= 1 ? unique.join('') : `${unique.slice(0, -1).join(', ')} and ${unique[unique.length - 1]}`;
}

export default rule;
