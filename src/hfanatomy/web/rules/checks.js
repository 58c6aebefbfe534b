/**
 * The one input check of whole-number arguments in the page, with the words of Python's
 * hfanatomy.checks.whole_number, so a reader sees one message in a kernel and on the site.
 * Imports nothing (ARCHITECTURE.md: shared rules).
 */

/** value if it is an integer in minimum .. below - 1 (no upper bound when below is null). */
export function wholeNumber(value, name, minimum = 0, below = null) {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer; got ${JSON.stringify(value) ?? String(value)}.`);
  }
  if (below !== null && !(minimum <= value && value < below)) {
    throw new RangeError(`${name} must be ${minimum}..${below - 1}; got ${value}.`);
  }
  if (value < minimum) throw new RangeError(`${name} must be >= ${minimum}; got ${value}.`);
  return value;
}
