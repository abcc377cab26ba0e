/**
 * Resource address globs for config exceptions. An address is dot-separated parts
 * (`module.worker["a"].aws_lambda_function.this[0]`); `*` matches within one part (instance keys
 * in brackets included, dots inside them too), `**` across any number of parts. A pattern without
 * instance keys also matches every instance: `aws_lambda_function.fn` covers `aws_lambda_function.fn[0]`.
 */

/** One part's characters: anything but a dot, or a whole bracketed key. */
const PART = '(?:[^.\\[]|\\[[^\\]]*\\])*';

export function addressGlob(pattern: string): (address: string) => boolean {
  const re = new RegExp(`^${globSource(pattern)}$`);
  return (address) => re.test(address) || re.test(withoutKeys(address));
}

function globSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      const startsPart = i === 0 || pattern[i - 1] === '.';
      const next = pattern[i + 2];
      if (startsPart && next === '.') {
        out += '(?:.*\\.)?'; // `**.` at a part boundary also matches no parts at all
        i += 2;
      } else if (i > 0 && pattern[i - 1] === '.' && next === undefined) {
        out = out.slice(0, -2) + '(?:\\..*)?'; // a trailing `.**` also matches the address before it
        i += 1;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (ch === '*') {
      out += PART;
    } else {
      out += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}

/** The address with every instance key removed (`module.a["x"].t.n[0]` → `module.a.t.n`). */
function withoutKeys(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]/g, '');
}
