import {
  Agent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { rawHeaderPairs } from './request-target';
import { writeS3Error } from './s3-errors';

/** A body to send instead of the request's own: bytes in hand, or a stream of known length. */
export type ReplacementBody = Buffer | { stream: Readable; length: number };

/** Connection-level headers: they describe one hop, not the request, and Node sets its own. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);

/** Forwards requests unchanged to s3rver and streams its answers back, keeping connections alive. */
export class UpstreamProxy {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(private readonly upstream: URL) {}

  /** Sends the request to s3rver (the given body instead of the request's own, if any); settles once answered. */
  forward(
    request: IncomingMessage,
    response: ServerResponse,
    expectsContinue: boolean,
    body?: ReplacementBody,
  ): Promise<void> {
    return new Promise((resolve) => {
      response.once('close', () => resolve());
      const headers = forwardedHeaders(request.rawHeaders, this.upstream.host);
      if (body) headers['content-length'] = String(Buffer.isBuffer(body) ? body.length : body.length);
      const upstreamRequest = httpRequest({
        agent: this.agent,
        hostname: this.upstream.hostname,
        port: this.upstream.port || 80,
        method: request.method,
        path: request.url,
        headers,
      });
      upstreamRequest.on('response', (upstreamResponse) => {
        response.writeHead(
          upstreamResponse.statusCode ?? 502,
          upstreamResponse.statusMessage,
          withoutHopByHop(upstreamResponse.rawHeaders),
        );
        pipeline(upstreamResponse, response, () => {});
      });
      upstreamRequest.on('error', (error) => {
        if (response.headersSent) {
          response.destroy(error);
          return;
        }
        if (body && !Buffer.isBuffer(body)) body.stream.destroy();
        request.unpipe(upstreamRequest);
        writeS3Error(response, {
          status: 503,
          code: 'ServiceUnavailable',
          message: `The local S3 server failed: ${error.message}`,
        });
        request.resume();
      });
      sendBody(request, response, upstreamRequest, expectsContinue, body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function sendBody(
  request: IncomingMessage,
  response: ServerResponse,
  upstreamRequest: ReturnType<typeof httpRequest>,
  expectsContinue: boolean,
  body: ReplacementBody | undefined,
): void {
  if (Buffer.isBuffer(body)) {
    upstreamRequest.end(body);
    return;
  }
  if (body) {
    body.stream.pipe(upstreamRequest);
    return;
  }
  // A client that goes away mid-upload must not leave the upstream waiting for the rest of the body.
  request.on('close', () => {
    if (!request.complete) upstreamRequest.destroy();
  });
  if (expectsContinue) response.writeContinue();
  // pipe keeps backpressure: memory stays at a few socket buffers whatever the body size.
  request.pipe(upstreamRequest);
}

function forwardedHeaders(rawHeaders: readonly string[], upstreamHost: string): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [rawName, value] of rawHeaderPairs(rawHeaders)) {
    const name = rawName.toLowerCase();
    if (HOP_BY_HOP.has(name) || name === 'host') continue;
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else headers[name] = [...(Array.isArray(existing) ? existing : [String(existing)]), value];
  }
  // s3rver addresses path-style by IP; the signature was checked against the Host the client used.
  headers.host = upstreamHost;
  return headers;
}

function withoutHopByHop(rawHeaders: readonly string[]): string[] {
  const kept: string[] = [];
  for (const [name, value] of rawHeaderPairs(rawHeaders)) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, value);
  }
  return kept;
}
