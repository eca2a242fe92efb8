import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { JwksSchema } from '../lambdas/api/contract';
import type { ReceiptClaims } from '../lambdas/domain/submission';
import { CliError, fileProblem, networkReason } from './errors';
import { sha256File } from './file-hash';
import { formatBytes } from './folder';

/**
 * Receipts: compact JWS signed by the regulator's receipt key (ES256; KMS on AWS), whose payload states what was
 * filed and when. Anyone holding the receipt and the regulator's public JWKS can check it offline.
 */
export const RECEIPT_ALGORITHMS = ['ES256'];

const Instant = z.iso.datetime({ offset: true });
const FileClaim = z.object({ name: z.string(), size: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** The claims as `receiptClaims` (lambdas/domain/submission.ts) writes them; typed against its interface. */
export const ReceiptClaimsSchema = z.object({
  typ: z.literal('notice-response-receipt'),
  receiptNumber: z.string(),
  noticeId: z.string(),
  submissionId: z.string(),
  platformId: z.string(),
  legalBasis: z.string(),
  filedAt: Instant,
  dueAt: Instant.optional(),
  dueBasis: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.enum(['rule', 'explicit']), setAt: Instant, eventSeq: z.number().int() }),
      z.object({
        kind: z.literal('extension'),
        setAt: Instant,
        eventSeq: z.number().int(),
        extensionId: z.string(),
        legalBasis: z.string().optional(),
      }),
      z.object({ kind: z.literal('further-information'), setAt: Instant, eventSeq: z.number().int() }),
    ])
    .optional(),
  onTime: z.boolean(),
  files: z.array(FileClaim),
  manifestSha256: z.string(),
  signedBy: z.object({ kid: z.string(), name: z.string(), signedAt: Instant }),
  issuedAt: Instant,
});

export interface VerifiedReceipt {
  claims: ReceiptClaims;
  alg: string;
  kid?: string;
}

/** Why a receipt is not valid; the message is what the user is told. */
export class InvalidReceipt extends CliError {}

export async function verifyReceipt(jws: string, jwks: JSONWebKeySet): Promise<VerifiedReceipt> {
  const token = jws.trim();
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw new InvalidReceipt('The receipt is not a compact JWS (three base64url parts separated by dots).');
  }
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(token, createLocalJWKSet(jwks), { algorithms: RECEIPT_ALGORITHMS });
  } catch (error) {
    throw new InvalidReceipt(`The receipt is not valid: ${whyInvalid(error)}`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    throw new InvalidReceipt('The receipt is signed, but its payload is not JSON.');
  }
  const parsed = ReceiptClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidReceipt(
      'The receipt is signed, but does not state what a notice-response receipt states.',
      undefined,
      parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`),
    );
  }
  const claims: ReceiptClaims = parsed.data;
  return { claims, alg: verified.protectedHeader.alg, kid: verified.protectedHeader.kid };
}

function whyInvalid(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'the signature does not match: it was altered after signing, or another key signed it.';
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return "none of the regulator's published receipt keys matches the key it names (wrong JWKS, or a key that was withdrawn).";
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return 'several published keys match it; the JWKS is ambiguous.';
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return `it is signed with an algorithm other than ${RECEIPT_ALGORITHMS.join(', ')}, which receipts are never signed with.`;
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JOSENotSupported) {
    return `it is not a well-formed JWS (${(error as Error).message}).`;
  }
  return (error as Error).message;
}

/** The regulator's JWKS from a URL or a file. */
export async function loadJwks(source: string): Promise<JSONWebKeySet> {
  let json: unknown;
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { headers: { accept: 'application/json' } });
    } catch (error) {
      throw new CliError(`Cannot fetch the receipt keys from ${source} (${networkReason(error)}).`);
    }
    if (!response.ok) throw new CliError(`Cannot fetch the receipt keys from ${source}: HTTP ${response.status}.`);
    json = await response.json().catch(() => undefined);
  } else {
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw fileProblem('The JWKS file', source, error);
    }
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError(`The JWKS file ${source} is not JSON.`);
    }
  }
  const parsed = JwksSchema.safeParse(json);
  if (!parsed.success || parsed.data.keys.length === 0) {
    throw new CliError(`${source} is not a JWKS with at least one key ({"keys": [...]}).`);
  }
  return parsed.data as unknown as JSONWebKeySet;
}

export interface FileCheck {
  name: string;
  ok: boolean;
  problem?: string;
}

/** Re-hashes the receipt's files in `dir`: each must be there with the size and SHA-256 the receipt states. */
export async function checkFiles(
  dir: string,
  files: ReceiptClaims['files'],
  onFile?: (name: string, size: number) => (bytes: number) => void,
): Promise<FileCheck[]> {
  const checks: FileCheck[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) {
        checks.push({ name: file.name, ok: false, problem: 'is not a regular file' });
        continue;
      }
      size = info.size;
    } catch {
      checks.push({ name: file.name, ok: false, problem: 'is missing from the folder' });
      continue;
    }
    if (size !== file.size) {
      checks.push({
        name: file.name,
        ok: false,
        problem: `is ${formatBytes(size)} (${size} bytes); the receipt says ${file.size} bytes`,
      });
      continue;
    }
    const sha256 = await sha256File(path, { onBytes: onFile?.(file.name, size) });
    checks.push(
      sha256 === file.sha256
        ? { name: file.name, ok: true }
        : { name: file.name, ok: false, problem: `has SHA-256 ${sha256}; the receipt says ${file.sha256}` },
    );
  }
  return checks;
}

/** What set the due time, in words: "extension ext_2, granted 2026-12-02T… (event 5)". */
function describeDueBasis(basis: NonNullable<ReceiptClaims['dueBasis']>): string {
  const event = `(event ${basis.eventSeq})`;
  switch (basis.kind) {
    case 'rule':
      return `the notice type's rule, at issue ${basis.setAt} ${event}`;
    case 'explicit':
      return `the due time stated in the notice, at issue ${basis.setAt} ${event}`;
    case 'extension':
      return `extension ${basis.extensionId}, granted ${basis.setAt}${basis.legalBasis ? ` under ${basis.legalBasis}` : ''} ${event}`;
    case 'further-information':
      return `a further-information request, ${basis.setAt} ${event}`;
  }
}

/** The claims as a reader wants them: what, for whom, when, and whether it was on time. */
export function formatReceipt(receipt: VerifiedReceipt): string {
  const c = receipt.claims;
  const row = (label: string, value: string) => `  ${label.padEnd(13)}${value}\n`;
  let text = `Receipt ${c.receiptNumber}: signature valid (${receipt.alg}${receipt.kid ? `, key ${receipt.kid}` : ''})\n`;
  text += row('notice', c.noticeId);
  text += row('submission', c.submissionId);
  text += row('platform', c.platformId);
  text += row('legal basis', c.legalBasis);
  text += row('filed at', c.filedAt);
  if (c.dueAt) text += row('due at', c.dueAt);
  if (c.dueBasis) text += row('due set by', describeDueBasis(c.dueBasis));
  text += row('on time', c.onTime ? 'yes' : 'NO (filed after the due time)');
  text += row('signed by', `${c.signedBy.name} at ${c.signedBy.signedAt} (key ${c.signedBy.kid})`);
  text += row('manifest', `sha256 ${c.manifestSha256}`);
  text += row('issued at', c.issuedAt);
  text += `  files (${c.files.length}):\n`;
  for (const f of c.files) text += `    ${f.sha256}  ${formatBytes(f.size).padStart(10)}  ${f.name}\n`;
  return text;
}
