/**
 * Calendar dates as the command line and the config write them: YYYY-MM-DD, and a real day
 * (2027-02-30 is not one). Dates compare as strings once validated.
 */

export function isValidDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Whether something that `expires` on that date has stopped applying on `asOf` (the expiry day itself still counts). */
export function hasExpired(expires: string | undefined, asOf: string): boolean {
  return expires !== undefined && expires < asOf;
}
