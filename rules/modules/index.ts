/**
 * Registry modules the linter understands without `terraform init`: each is a Terraform JSON stub
 * (data, not code) of the module's relevant interface — its inputs mapped onto the resources it
 * creates, and its outputs. Adding a module is adding a stub file and a line here.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface KnownModule {
  /** Matches the `source` of a module call (registry address, with or without the host). */
  readonly source: RegExp;
  /** The stub file, Terraform JSON syntax. */
  readonly stub: string;
}

/** The registry address of a terraform-aws-modules module root, with or without the registry host.
 *  The root only: submodules (`//modules/alias`, `//modules/serverless-cache`) are other modules. */
function registryRoot(name: string): RegExp {
  return new RegExp(`^(registry\\.terraform\\.io\\/|registry\\.opentofu\\.org\\/)?terraform-aws-modules\\/${name}\\/aws\\/?$`, 'i');
}

export const KNOWN_MODULES: readonly KnownModule[] = [
  { source: registryRoot('lambda'), stub: 'terraform-aws-modules-lambda.tf.json' },
  // Data stores and the security groups that admit workloads to them (lambda-no-datastore).
  { source: registryRoot('rds'), stub: 'terraform-aws-modules-rds.tf.json' },
  { source: registryRoot('rds-aurora'), stub: 'terraform-aws-modules-rds-aurora.tf.json' },
  { source: registryRoot('elasticache'), stub: 'terraform-aws-modules-elasticache.tf.json' },
  { source: registryRoot('security-group'), stub: 'terraform-aws-modules-security-group.tf.json' },
  // HTTP front doors (lambda-no-http).
  { source: registryRoot('apigateway-v2'), stub: 'terraform-aws-modules-apigateway-v2.tf.json' },
  { source: registryRoot('alb'), stub: 'terraform-aws-modules-alb.tf.json' },
];

export function knownModuleStub(source: string): { file: string; text: string } | undefined {
  const hit = KNOWN_MODULES.find((m) => m.source.test(source.trim()));
  if (!hit) return undefined;
  for (const dir of [__dirname, path.join(__dirname, '..', '..', '..', 'rules', 'modules'), path.join(__dirname, 'modules')]) {
    const file = path.join(dir, hit.stub);
    try {
      return { file, text: fs.readFileSync(file, 'utf8') };
    } catch { /* look in the next place */ }
  }
  return undefined;
}
