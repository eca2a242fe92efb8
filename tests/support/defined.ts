/**
 * Narrows an indexed value (`list[0]`, `record[key]`, a regex group) that the test expects to exist, failing with a
 * message that names it instead of a `TypeError` further down. Used where `noUncheckedIndexedAccess` types an index
 * as possibly `undefined`.
 */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`expected ${what} to be defined`);
  }
  return value;
}
