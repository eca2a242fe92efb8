import { z } from 'zod';
import {
  ErrorSchema,
  FinalizeResponseSchema,
  JwksSchema,
  OpenedSubmissionSchema,
  SigningKeyListSchema,
  UploadedPartsSchema,
  UploadTargetSchema,
} from '../lambdas/api/contract';
import { type BundleFileMode, EvidenceBundleSchema } from '../lambdas/domain/evidence-bundle';
import { NoticeIdSchema, NoticeStatusSchema } from '../lambdas/domain/notice';
import { SubmissionSchema } from '../lambdas/domain/submission';
import { CliError, networkReason } from './errors';

/**
 * The portal's HTTP API as the CLI uses it: one method per route, each response checked against the contract's
 * own zod schemas (lambdas/api/contract.ts), so a mismatch shows up as a clear error rather than as `undefined`
 * somewhere downstream.
 */
/**
 * The part of a notice the CLI needs before uploading: whether it can still be answered, by whom, and which
 * questions it asks. Deliberately loose about the rest, so a portal that adds fields does not break the tool.
 */
export const NoticeSummarySchema = z.object({
  id: NoticeIdSchema,
  status: NoticeStatusSchema,
  platformId: z.string(),
  title: z.string().optional(),
  dueAt: z.string().optional(),
  requirements: z.object({ questions: z.array(z.object({ number: z.string(), text: z.string() })).optional() }),
});
export type NoticeSummary = z.infer<typeof NoticeSummarySchema>;

/** What `verify-notice` and `acknowledge` read of a notice; loose about the rest. */
export const SignedNoticeSummarySchema = z.looseObject({
  id: NoticeIdSchema,
  status: NoticeStatusSchema,
  platformId: z.string(),
  signedNotice: z.string().optional(),
  acknowledgedAt: z.string().optional(),
  acknowledgementSignature: z.object({ kid: z.string(), signature: z.string() }).optional(),
});

export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly route: string,
    message: string,
    details: string[],
  ) {
    super(message, undefined, details);
  }
}

export interface DeclaredFile {
  name: string;
  size: number;
  /** Hex SHA-256 of the file: its single PUT URL is bound to it, and the manifest must name the same. */
  sha256: string;
  contentType?: string;
}

type Method = 'GET' | 'POST';

export class PortalClient {
  /**
   * How far the portal's clock is ahead of this machine's (negative: behind), from the HTTP `Date` header of its
   * latest response; undefined until a response carried one. `Date` has whole seconds, so this is within about a
   * second (plus half the round trip) — far inside the portal's five-minute signing tolerance.
   */
  private skewMs: number | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly token: string | undefined,
    private readonly signal?: AbortSignal,
  ) {}

  getNotice(noticeId: string) {
    return this.call('GET', `/notices/${enc(noticeId)}`, NoticeSummarySchema);
  }

  /** The notice with its signature as given (`signedNotice`, absent on notices issued before signing). */
  getSignedNotice(noticeId: string) {
    return this.call('GET', `/notices/${enc(noticeId)}`, SignedNoticeSummarySchema, { retry: true });
  }

  /** Acknowledges receipt; with `signature`, the platform's countersignature over the signed notice. */
  acknowledge(noticeId: string, signature: string | undefined, idempotencyKey: string) {
    return this.call('POST', `/notices/${enc(noticeId)}/acknowledge`, SignedNoticeSummarySchema, {
      body: signature ? { signature } : {},
      idempotencyKey,
    });
  }

  listSigningKeys(platformId: string) {
    return this.call('GET', `/platforms/${enc(platformId)}/signing-keys`, SigningKeyListSchema);
  }

  openSubmission(noticeId: string, files: DeclaredFile[], idempotencyKey: string) {
    return this.call('POST', `/notices/${enc(noticeId)}/submissions`, OpenedSubmissionSchema, {
      body: { files },
      idempotencyKey,
    });
  }

  getSubmission(noticeId: string, submissionId: string) {
    return this.call('GET', this.submissionPath(noticeId, submissionId), SubmissionSchema, { retry: true });
  }

  /**
   * Fresh upload URLs: the single PUT (no `parts`), or the named parts of a multipart upload, each with its SHA-256
   * (hex), which the portal binds into the part's URL.
   */
  uploadUrls(
    noticeId: string,
    submissionId: string,
    fileIndex: number,
    parts?: { partNumber: number; sha256: string }[],
  ) {
    return this.call(
      'POST',
      `${this.submissionPath(noticeId, submissionId)}/files/${fileIndex}/upload-urls`,
      UploadTargetSchema,
      { body: parts ? { parts } : {}, retry: true },
    );
  }

  listParts(noticeId: string, submissionId: string, fileIndex: number) {
    return this.call(
      'GET',
      `${this.submissionPath(noticeId, submissionId)}/files/${fileIndex}/parts`,
      UploadedPartsSchema,
      { retry: true },
    );
  }

  async completeFile(
    noticeId: string,
    submissionId: string,
    fileIndex: number,
    parts: { partNumber: number; etag: string; sha256?: string }[],
  ): Promise<void> {
    await this.call('POST', `${this.submissionPath(noticeId, submissionId)}/files/${fileIndex}/complete`, undefined, {
      body: { parts },
      idempotencyKey: `complete-${submissionId}-${fileIndex}`,
    });
  }

  /** 200 `filed` with the receipt, or 202 `verifying` while the portal still hashes the stored files. */
  finalize(
    noticeId: string,
    submissionId: string,
    body: { manifest: unknown; signature: string },
    idempotencyKey: string,
  ) {
    return this.call('POST', `${this.submissionPath(noticeId, submissionId)}/finalize`, FinalizeResponseSchema, {
      body,
      idempotencyKey,
    });
  }

  /** 202 `building`: the build runs in the portal; poll `getEvidenceBundle`. The key makes a retried request safe. */
  requestEvidenceBundle(noticeId: string, files: BundleFileMode, idempotencyKey: string) {
    return this.call('POST', `/notices/${enc(noticeId)}/evidence-bundles`, EvidenceBundleSchema, {
      body: { files },
      idempotencyKey,
      retry: true,
    });
  }

  getEvidenceBundle(noticeId: string, bundleId: string) {
    return this.call('GET', `/notices/${enc(noticeId)}/evidence-bundles/${enc(bundleId)}`, EvidenceBundleSchema, {
      retry: true,
    });
  }

  receiptKeys() {
    return this.call('GET', '/.well-known/receipt-keys.json', JwksSchema, { retry: true });
  }

  /** The portal's clock skew as last observed (see `skewMs`), or undefined if no response had a `Date`. */
  clockSkewMs(): number | undefined {
    return this.skewMs;
  }

  private observeClock(response: Response, sentAt: number): void {
    const portalTime = Date.parse(response.headers.get('date') ?? '');
    if (Number.isNaN(portalTime)) return;
    // The header truncates to the second, and the portal read its clock somewhere between sending and receiving.
    this.skewMs = portalTime + 500 - (sentAt + Date.now()) / 2;
  }

  private submissionPath(noticeId: string, submissionId: string): string {
    return `/notices/${enc(noticeId)}/submissions/${enc(submissionId)}`;
  }

  private async call<S extends z.core.$ZodType | undefined>(
    method: Method,
    path: string,
    schema: S,
    options: { body?: unknown; idempotencyKey?: string; retry?: boolean } = {},
  ): Promise<S extends z.core.$ZodType ? z.infer<S> : unknown> {
    const route = `${method} ${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    // Reads and URL requests are safe to repeat; changes rely on their idempotency key instead.
    const response = await this.send(method, path, headers, options.body, options.retry ? 3 : 1);
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok) throw apiError(response.status, route, json, text);
    if (!schema) return json as never;
    return expectedAnswer(schema, json, route, response.status) as never;
  }

  /** One request, repeated up to `attempts` times while the portal cannot be reached or is overloaded. */
  private async send(
    method: Method,
    path: string,
    headers: Record<string, string>,
    body: unknown,
    attempts: number,
  ): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      try {
        const sentAt = Date.now();
        const response = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: this.signal,
        });
        this.observeClock(response, sentAt);
        if (attempt < attempts && (response.status === 429 || response.status >= 502)) {
          await delay(500 * 2 ** attempt);
          continue;
        }
        return response;
      } catch (error) {
        if (this.signal?.aborted) throw error;
        if (attempt >= attempts) {
          throw new CliError(`Cannot reach the portal at ${this.baseUrl} (${networkReason(error)}).`);
        }
        await delay(500 * 2 ** attempt);
      }
    }
  }
}

/** The answer as the schema reads it; an answer of another shape means the tool and the portal disagree. */
function expectedAnswer(schema: z.core.$ZodType, json: unknown, route: string, status: number): unknown {
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) {
    throw new CliError(
      `The portal's answer to ${route} (${status}) is not what this tool expects; is the tool up to date?`,
      undefined,
      parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
    );
  }
  return parsed.data;
}

function apiError(status: number, route: string, json: unknown, text: string): ApiError {
  const parsed = ErrorSchema.safeParse(json);
  const error = parsed.success ? parsed.data.error : undefined;
  const message = error?.message ?? (text.trim().slice(0, 300) || 'no details');
  const details = (error?.issues ?? []).map((i) => `${i.path}: ${i.message}`);
  if (error?.requestId) details.push(`request id: ${error.requestId}`);
  let summary = `The portal refused ${route} (${status}${error?.code ? ` ${error.code}` : ''}): ${message}`;
  if (status === 401) {
    summary += ` Get a fresh token and set NOTICE_PORTAL_TOKEN; rerunning "submit" resumes where it stopped.`;
  }
  return new ApiError(status, error?.code, route, summary, details);
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
