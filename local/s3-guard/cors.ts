import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * CORS headers on the guard's own answers. Preflights and allowed requests go to s3rver, which answers them from
 * the bucket's CORS rule; but a request the guard refuses itself (a bad signature, `BadDigest`) never reaches
 * s3rver, and without these headers a browser would see only a network error instead of S3's reason, where S3
 * itself sends the CORS headers of the matching rule with its error.
 */
export function setCorsHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  allowedOrigins: readonly string[],
): void {
  const origin = request.headers.origin;
  if (origin === undefined || !allowedOrigins.includes(origin) || response.headersSent) return;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('access-control-expose-headers', 'ETag, x-amz-version-id');
  response.setHeader('vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
}
