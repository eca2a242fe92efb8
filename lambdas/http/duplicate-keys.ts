/**
 * Duplicate object keys in a JSON body. RFC 8259 §4 leaves their meaning open ("the names within an object SHOULD
 * be unique"), and parsers disagree: JSON.parse keeps the last, others the first or refuse. A record that is
 * evidence cannot rest on a body two readers read differently — a platform's tooling and the portal, or an
 * auditor's parser years later — so the portal refuses such a body instead of silently keeping one of the values.
 *
 * Runs only on text JSON.parse has accepted, so it needs to follow structure, not to validate it; iterative, so a
 * deeply nested body (the 64 KiB limit allows ~32k levels) cannot overflow the stack.
 */

/** Where the first repeated key is: the path of the object holding it (keys and array indexes), then the key. */
export interface DuplicateKey {
  path: (string | number)[];
  key: string;
}

type Frame = { kind: 'object'; keys: Set<string>; key: string | undefined } | { kind: 'array'; index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function firstDuplicateKey(json: string): DuplicateKey | undefined {
  const scan = new KeyScan();
  for (let i = 0; i < json.length && !scan.duplicate; i++) {
    const c = json[i];
    if (c === '"') {
      const end = closingQuote(json, i);
      scan.string(json.slice(i, end + 1));
      i = end;
    } else if (c === '{' || c === '[') scan.open(c);
    else if (c === '}' || c === ']') scan.close();
    else if (c === ',') scan.comma();
  }
  return scan.duplicate;
}

/** The structure seen so far: open containers, each object's keys, and whether the next string is a key. */
class KeyScan {
  duplicate: DuplicateKey | undefined;
  private readonly stack: Frame[] = [];
  // Inside an object, a string is a key when it follows `{` or `,`; after its `:` comes a value.
  private expectingKey = false;

  string(raw: string): void {
    const top = this.top();
    if (!this.expectingKey || top?.kind !== 'object') return;
    this.expectingKey = false;
    if (!recordKey(top, raw)) this.duplicate = { path: pathTo(this.stack), key: top.key ?? '' };
  }

  open(bracket: '{' | '['): void {
    this.stack.push(
      bracket === '{' ? { kind: 'object', keys: new Set(), key: undefined } : { kind: 'array', index: 0 },
    );
    this.expectingKey = bracket === '{';
  }

  close(): void {
    this.stack.pop();
    this.expectingKey = false;
  }

  comma(): void {
    const top = this.top();
    if (top?.kind === 'array') top.index++;
    this.expectingKey = top?.kind === 'object';
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }
}

/** The index of the quote that ends the string starting at `open` (escapes skipped). */
function closingQuote(json: string, open: number): number {
  let end = open + 1;
  while (json.charCodeAt(end) !== QUOTE) end += json.charCodeAt(end) === BACKSLASH ? 2 : 1;
  return end;
}

/** Makes `raw` (a quoted key) the object's current key; false when the object already had it. */
function recordKey(frame: Extract<Frame, { kind: 'object' }>, raw: string): boolean {
  // "\u0061" and "a" are the same key once decoded; only escaped keys need decoding.
  const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  frame.key = key;
  if (frame.keys.has(key)) return false;
  frame.keys.add(key);
  return true;
}

/** The keys and indexes leading to the innermost open object (whose own key is reported separately). */
function pathTo(stack: Frame[]): (string | number)[] {
  return stack.slice(0, -1).map((frame) => (frame.kind === 'array' ? frame.index : (frame.key ?? '')));
}
