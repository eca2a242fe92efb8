/** One field the API refused, as its 400 answers list them: `path` is dotted (`requirements.questions.0.text`). */
export interface FieldIssue {
  path: string;
  message: string;
}

/** A non-2xx answer from the API, with the API's own code and message (never a raw body shown to the user). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The API answered 401: the session ended (or the token was refused). */
  get unauthenticated(): boolean {
    return this.status === 401;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; issues?: FieldIssue[]; requestId?: string };
}

/**
 * openapi-fetch's `{ data, error, response }` → the data, or an ApiError. A network failure (no answer at all)
 * becomes status 0 so every caller shows one kind of message for it.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch (_error) {
    throw new ApiError(
      0,
      'network',
      'The portal could not be reached. Check your connection and try again.',
      [],
      undefined,
    );
  }
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as ErrorBody;
  const { status } = result.response;
  throw new ApiError(
    status,
    body.error?.code ?? `http-${status}`,
    body.error?.message ?? `The portal answered ${status}.`,
    body.error?.issues ?? [],
    body.error?.requestId,
  );
}

/** A message for any error a page may catch: the API's own words, or a plain fallback. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
