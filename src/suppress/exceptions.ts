/**
 * Config exceptions: "rule R does not apply to resources matching this address glob, because …",
 * optionally until a date. The config loader makes them; the suppression pass applies them.
 */
import type { Location } from '../model/source';
import { addressGlob } from './address-glob';

export interface AddressException {
  readonly rule: string;
  /** Address glob (`*` within one part, `**` across parts). */
  readonly address: string;
  readonly reason: string;
  /** YYYY-MM-DD; the exception stops applying after this day. */
  readonly expires?: string;
  /** How messages name the config file (relative to the working directory). */
  readonly origin: string;
  /** The entry in the config file, when its position is known. */
  readonly location?: Location;
}

export interface ExceptionMatcher {
  /** Exceptions for this rule whose glob matches the address, in config order. */
  matching(rule: string, address: string): readonly AddressException[];
}

export function exceptionMatcher(exceptions: readonly AddressException[]): ExceptionMatcher {
  const compiled = exceptions.map((e) => ({ e, test: addressGlob(e.address) }));
  return {
    matching: (rule, address) => compiled.filter((c) => c.e.rule === rule && c.test(address)).map((c) => c.e),
  };
}
