import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { compactVerify, createLocalJWKSet, errors, type JSONWebKeySet } from 'jose';
import { JwksSchema } from '../lambdas/api/contract';
import {
  asReceiptClaims,
  COMPACT_JWS,
  claimsIssueLines,
  fileMismatch,
  RECEIPT_ALGORITHMS,
  RECEIPT_PROBLEMS,
  ReceiptClaimsSchema,
} from '../lambdas/domain/receipt-verification';
import type { ReceiptClaims } from '../lambdas/domain/submission';
import { CliError, fileProblem, networkReason } from './errors';
import { sha256File } from './file-hash';
import { formatBytes } from './folder';

/**
 * Receipts: compact JWS signed by the regulator's receipt key (ES256; KMS on AWS), whose payload states what was
 * filed and when. Anyone holding the receipt and the regulator's public JWKS can check it offline.
 */
export { RECEIPT_ALGORITHMS, ReceiptClaimsSchema };

export interface VerifiedReceipt {
  claims: ReceiptClaims;
  alg: string;
  kid?: string;
}

/** Why a receipt is not valid; the message is what the user is told. */
export class InvalidReceipt extends CliError {}

export async function verifyReceipt(jws: string, jwks: JSONWebKeySet): Promise<VerifiedReceipt> {
  const token = jws.trim();
  if (!COMPACT_JWS.test(token)) throw new InvalidReceipt(RECEIPT_PROBLEMS.notCompact);
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(token, createLocalJWKSet(jwks), { algorithms: RECEIPT_ALGORITHMS });
  } catch (error) {
    throw new InvalidReceipt(whyInvalid(error));
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    throw new InvalidReceipt(RECEIPT_PROBLEMS.payloadNotJson);
  }
  const parsed = ReceiptClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidReceipt(RECEIPT_PROBLEMS.claims, undefined, claimsIssueLines(parsed.error));
  }
  const claims = asReceiptClaims(parsed.data);
  return { claims, alg: verified.protectedHeader.alg, kid: verified.protectedHeader.kid };
}

/** jose's error, in the words the web page uses for the same failed check. */
function whyInvalid(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return RECEIPT_PROBLEMS.signature;
  if (error instanceof errors.JWKSNoMatchingKey) return RECEIPT_PROBLEMS.noKey;
  if (error instanceof errors.JWKSMultipleMatchingKeys) return RECEIPT_PROBLEMS.severalKeys;
  if (error instanceof errors.JOSEAlgNotAllowed) return RECEIPT_PROBLEMS.algorithm;
  if (error instanceof errors.JWSInvalid || error instanceof errors.JOSENotSupported) {
    return RECEIPT_PROBLEMS.malformed((error as Error).message);
  }
  return `The receipt is not valid: ${(error as Error).message}`;
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
    const sizeProblem = fileMismatch({ size }, file, formatBytes);
    if (sizeProblem) {
      checks.push({ name: file.name, ok: false, problem: sizeProblem });
      continue;
    }
    const sha256 = await sha256File(path, { onBytes: onFile?.(file.name, size) });
    const problem = fileMismatch({ size, sha256 }, file, formatBytes);
    checks.push(problem ? { name: file.name, ok: false, problem } : { name: file.name, ok: true });
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
