import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The XML the guard writes and the one document it reads (CompleteMultipartUpload), the latter as a strict subset.
 */

export function xmlEscape(value: string): string {
  return value.replace(
    /[&<>"'\n]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\n': '&#10;' })[c] ?? c,
  );
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
  /** The part's checksum elements by name (`ChecksumSHA256`, `ChecksumCRC32`, …), base64 as sent. */
  checksums: Map<string, string>;
}

const XML_DECLARATION = /<\?xml(?:\s+[A-Za-z]+\s*=\s*(?:"[^"<>?]*"|'[^'<>?]*'))*\s*\?>/y;
const ROOT_START = /<CompleteMultipartUpload(?: xmlns="[^"<&]*"| xmlns='[^'<&]*')?>/y;
const ROOT_END = /<\/CompleteMultipartUpload>/y;
const PART_START = /<Part>/y;
const PART_END = /<\/Part>/y;
/** A child of Part: a name and plain text (no markup), closed by the same name. */
const PART_FIELD = /<([A-Za-z][A-Za-z0-9]*)>([^<]*)<\/\1>/y;
const PART_FIELD_NAMES = /^(?:ETag|PartNumber|Checksum[A-Za-z0-9]+)$/;
const WHITESPACE = /[ \t\r\n]*/y;

/**
 * The part list of a CompleteMultipartUpload body, or undefined if it is not well-formed. Only the subset of XML
 * that SDKs write is accepted: an optional declaration, the root with at most an `xmlns`, `Part` elements holding
 * `PartNumber`, `ETag` and checksum elements of plain text with XML's five named and numeric character references.
 * Comments, CDATA, processing instructions, DTDs, prefixes, other attributes and empty-element tags are refused, so
 * no document passes here that s3rver's parser (fast-xml-parser) could read as a different list of parts.
 */
export function parseCompleteMultipartUpload(body: Buffer): CompletedPart[] | undefined {
  const xml = body.toString('utf8');
  if (xml.includes('\uFFFD')) return undefined;
  let at = 0;
  const take = (pattern: RegExp): RegExpExecArray | undefined => {
    pattern.lastIndex = at;
    const match = pattern.exec(xml);
    if (!match) return undefined;
    at = pattern.lastIndex;
    return match;
  };
  take(XML_DECLARATION);
  take(WHITESPACE);
  if (!take(ROOT_START)) return undefined;
  const parts: CompletedPart[] = [];
  for (;;) {
    take(WHITESPACE);
    if (take(ROOT_END)) break;
    if (!take(PART_START)) return undefined;
    const fields = new Map<string, string>();
    for (;;) {
      take(WHITESPACE);
      if (take(PART_END)) break;
      const [, name, raw] = take(PART_FIELD) ?? [];
      if (name === undefined || raw === undefined || !PART_FIELD_NAMES.test(name) || fields.has(name)) return undefined;
      const text = decodeXmlText(raw);
      if (text === undefined) return undefined;
      fields.set(name, text.trim());
    }
    const partNumber = fields.get('PartNumber');
    const etag = fields.get('ETag');
    if (partNumber === undefined || etag === undefined || !/^[0-9]{1,9}$/.test(partNumber)) return undefined;
    const checksums = new Map([...fields].filter(([name]) => name.startsWith('Checksum')));
    parts.push({ partNumber: Number(partNumber), etag, checksums });
  }
  take(WHITESPACE);
  return at === xml.length && parts.length > 0 ? parts : undefined;
}

const CHARACTER_REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED_REFERENCES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Character data with its references resolved; undefined for a stray `&` or a reference XML does not allow. */
function decodeXmlText(raw: string): string | undefined {
  if (raw.replace(CHARACTER_REFERENCE, '').includes('&')) return undefined;
  let valid = true;
  const text = raw.replace(CHARACTER_REFERENCE, (reference, name: string, decimal: string, hex: string) => {
    // The pattern only captures the five names the table has, so the reference itself is never what comes back.
    if (name) return NAMED_REFERENCES[name] ?? reference;
    const codePoint = decimal ? Number(decimal) : Number.parseInt(hex, 16);
    const allowed =
      codePoint === 0x9 ||
      codePoint === 0xa ||
      codePoint === 0xd ||
      (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
      (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
      (codePoint >= 0x10000 && codePoint <= 0x10ffff);
    if (!allowed) valid = false;
    return allowed ? String.fromCodePoint(codePoint) : '';
  });
  return valid ? text : undefined;
}

export function writeXml(response: ServerResponse, status: number, xml: string): void {
  response.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amz-request-id': randomBytes(8).toString('hex').toUpperCase(),
  });
  response.end(xml);
}
