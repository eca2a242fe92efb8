import * as z from './zod';

/**
 * One rule for every piece of text a caller sends. Text ends up in hash-chained, signed records (and their RFC 8785
 * canonical JSON), which must stay readable by any strict JSON parser for as long as the records are kept. So text
 * must be well-formed Unicode (no lone UTF-16 surrogate: canonical JSON is undefined for one, and `jq` and strict
 * parsers reject it), carry no control character (C0, DEL, C1) except tab and line breaks in multi-line fields, and
 * no U+FFFD: a replacement character means the text was already damaged by a lossy decoder before it reached us,
 * and evidence must not silently record the damage.
 *
 * The rule is a regular expression so that the OpenAPI document states it too (`pattern`, ECMA-262 with the `u`
 * flag, where a lone surrogate is a code point of its own in category Cs and a valid pair is one astral code point).
 */
export const SINGLE_LINE_TEXT = /^[^\p{Cc}\p{Cs}\uFFFD]*$/u;
export const MULTILINE_TEXT = /^(?:[^\p{Cc}\p{Cs}\uFFFD]|[\t\n\r])*$/u;

const SINGLE_LINE_MESSAGE =
  'must be one line of valid Unicode text: no control characters, lone surrogates or U+FFFD replacement characters';
const MULTILINE_MESSAGE =
  'must be valid Unicode text: no control characters other than tab and line breaks, no lone surrogates or U+FFFD';

export interface TextOptions {
  /** @default 0 */
  min?: number;
  max: number;
  /** Message when shorter than `min`. */
  tooShort?: string;
  /**
   * Trim surrounding white space first. Off for text that is signed or compared as sent (a manifest, a secret):
   * changing it would break the signature or the comparison. @default true
   */
  trim?: boolean;
}

function build(pattern: RegExp, message: string, { min = 0, max, tooShort, trim = true }: TextOptions) {
  const base = trim ? z.string().check(z.trim()) : z.string();
  return (min > 0 ? base.check(z.minLength(min, tooShort)) : base).check(z.maxLength(max), z.regex(pattern, message));
}

/** A single line of text: a title, a name, a label, a reference. */
export function text(options: TextOptions) {
  return build(SINGLE_LINE_TEXT, SINGLE_LINE_MESSAGE, options);
}

/** Text that may run over several lines (reasons, answers, questions, addresses): tab, LF and CR are allowed. */
export function multilineText(options: TextOptions) {
  return build(MULTILINE_TEXT, MULTILINE_MESSAGE, options);
}
