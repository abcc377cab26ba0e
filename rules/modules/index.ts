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

export const KNOWN_MODULES: readonly KnownModule[] = [
  // The module root only: its submodules (`//modules/alias`, `//modules/deploy`) create no function.
  { source: /^(registry\.terraform\.io\/|registry\.opentofu\.org\/)?terraform-aws-modules\/lambda\/aws\/?$/i, stub: 'terraform-aws-modules-lambda.tf.json' },
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
