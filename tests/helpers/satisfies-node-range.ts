/**
 * Whether a Node version satisfies a package's `engines.node` range: the subset of npm's semver ranges
 * that package-lock.json holds (`*`, `>=20`, `>= 12.20`, `^20.19.0 || >=22.12.0`, `4.x || >=6.0.0`,
 * `>=18 <23`). Anything else throws, so a test never passes on a range it did not understand.
 */
export function satisfiesNodeRange(version: string, range: string): boolean {
  const have = parseVersion(version);
  // "*" (tunnel-agent, under better-sqlite3's prebuild-install) admits every version.
  if (range.trim() === '*') return true;
  return range.split('||').some((alternative) => {
    const comparators = alternative.trim().replace(/(>=|<=|>|<|\^|~)\s+/g, '$1').split(/\s+/);
    return comparators.every((comparator) => satisfiesComparator(have, comparator, range));
  });
}

type Version = readonly [number, number, number];

function parseVersion(text: string): Version {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (match === null) throw new Error(`not a version: ${text}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function satisfiesComparator(have: Version, comparator: string, range: string): boolean {
  const match = /^(>=|<=|>|<|\^|~|=)?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
  if (match === null) throw new Error(`engines range not understood: "${range}"`);
  const [, operator = '=', majorText, minorText, patchText] = match;
  const wild = (part: string | undefined): boolean => part === undefined || part === 'x' || part === '*';
  const floor: Version = [Number(majorText), wild(minorText) ? 0 : Number(minorText), wild(patchText) ? 0 : Number(patchText)];
  const c = compare(have, floor);
  switch (operator) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '^':
      return c >= 0 && have[0] === floor[0] && (floor[0] !== 0 || have[1] === floor[1]);
    case '~':
      return c >= 0 && have[0] === floor[0] && (wild(minorText) || have[1] === floor[1]);
    default:
      // `4.x` or `20`: any version with those leading parts.
      return have[0] === floor[0] && (wild(minorText) || have[1] === floor[1]) && (wild(patchText) || have[2] === floor[2]);
  }
}
