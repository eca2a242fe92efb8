/** How the guard reads a request as it arrived: its target (path and query) and its raw headers. */

export interface ParsedTarget {
  canonicalUri: string;
  /** Decoded name/value pairs in arrival order. */
  query: [string, string][];
}

/**
 * Splits the request target into the canonical URI and the decoded query. The path is decoded and re-encoded one
 * segment at a time, never normalised (no dot segments removed, no slashes merged): two spellings of the same key
 * reach the same object upstream, so they may share a signature; two different keys never can. Query values use
 * form decoding (`+` is a space) because that is how s3rver reads them.
 */
export function parseTarget(url: string): ParsedTarget | undefined {
  if (!url.startsWith('/')) return undefined;
  const question = url.indexOf('?');
  const path = question < 0 ? url : url.slice(0, question);
  const search = question < 0 ? '' : url.slice(question + 1);
  try {
    const canonicalUri = path
      .split('/')
      .map((segment) => uriEncode(decodeURIComponent(segment)))
      .join('/');
    const query: [string, string][] = search
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const equals = pair.indexOf('=');
        const name = equals < 0 ? pair : pair.slice(0, equals);
        const value = equals < 0 ? '' : pair.slice(equals + 1);
        return [formDecode(name), formDecode(value)];
      });
    return { canonicalUri, query };
  } catch {
    return undefined;
  }
}

/** AWS UriEncode: everything but A-Z a-z 0-9 - _ . ~ as %XX with upper-case hex. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Node's rawHeaders (`[name, value, name, value, …]`) as pairs; a name without a value would be left out. */
export function rawHeaderPairs(rawHeaders: readonly string[]): [name: string, value: string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    const value = rawHeaders[i + 1];
    if (name !== undefined && value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

export function headerValues(rawHeaders: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const [rawName, value] of rawHeaderPairs(rawHeaders)) {
    const name = rawName.toLowerCase();
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  }
  return headers;
}
