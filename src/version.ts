/**
 * Identity of the tool as it reports itself: version from package.json, and where the rule
 * documentation lives (in the package, and online for SARIF helpUri).
 */
import * as fs from 'fs';
import * as path from 'path';

function readPackage(): { version: string; repository?: string | { url?: string } } {
  // Works from lib/src (npm build) and from a bundle that carries package.json beside it.
  for (const dir of [path.join(__dirname, '..', '..'), path.join(__dirname, '..'), __dirname]) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'lambda-adr-lint') return pkg;
    } catch { /* try the next place */ }
  }
  return { version: '0.0.0' };
}

const pkg = readPackage();

export const TOOL_VERSION: string = pkg.version;

/** Base of the rule pages for SARIF helpUri: the repository's docs/rules/ folder. */
export const DOCS_BASE_URL = 'https://github.com/lambda-adr-lint/lambda-adr-lint/blob/main/docs/rules/';

/** The rule page shipped with the package. */
export function docsPath(ruleId: string): string {
  for (const dir of [path.join(__dirname, '..', '..', 'docs', 'rules'), path.join(__dirname, '..', 'docs', 'rules'), path.join(__dirname, 'docs', 'rules')]) {
    const p = path.join(dir, `${ruleId}.md`);
    if (fs.existsSync(p)) return p;
  }
  return path.join(__dirname, '..', '..', 'docs', 'rules', `${ruleId}.md`);
}
