/**
 * What a lint run hands to the formatters: findings with their pointers resolved to locations.
 */
import type { Diagnostic } from '../model/model';
import type { Location } from '../model/source';
import type { Finding, Rule } from '../rule';

export interface Suppression {
  readonly kind: 'inSource' | 'external';
  readonly justification: string;
  /** Where the suppression was written (comment line or config file). */
  readonly location?: Location;
}

export interface ReportedFinding extends Finding {
  readonly location: Location;
  readonly relatedLocations: readonly { readonly location: Location; readonly message: string }[];
  /** Stable across unrelated line moves: rule, address, discriminator and the offending line's text. */
  readonly fingerprint: string;
  /** Present when the finding is suppressed; suppressed findings never fail the run. */
  readonly suppression?: Suppression;
}

export interface LintResult {
  /** Working directory; every path in output is made relative to it. */
  readonly cwd: string;
  readonly rules: readonly Rule[];
  readonly findings: readonly ReportedFinding[];
  readonly diagnostics: readonly Diagnostic[];
  readonly filesScanned: number;
  /** "Today" used for date-based rules. */
  readonly asOf: string;
}
