import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { xmlEscape } from './xml';

/** The errors the guard answers with, in S3's XML error format. */

export interface S3ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: Record<string, string>;
}

/** Answers with an S3 error and reports the refusal (the caller decides what becomes of the unread body). */
export type RefuseWith = (request: IncomingMessage, response: ServerResponse, error: S3ErrorAnswer) => void;

export function writeS3Error(response: ServerResponse, error: S3ErrorAnswer): void {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const details = Object.entries(error.details ?? {})
    .map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
    .join('');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${error.code}</Code><Message>${xmlEscape(error.message)}</Message>${details}` +
    `<RequestId>${requestId}</RequestId></Error>`;
  response.writeHead(error.status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': requestId,
  });
  response.end(body);
}

export function invalidArgument(message: string, name: string, value: string | undefined): S3ErrorAnswer {
  return { status: 400, code: 'InvalidArgument', message, details: { ArgumentName: name, ArgumentValue: value ?? '' } };
}

export function noSuchUpload(id: string): S3ErrorAnswer {
  return {
    status: 404,
    code: 'NoSuchUpload',
    message:
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    details: { UploadId: id },
  };
}

export function bodyTooLarge(): S3ErrorAnswer {
  return { status: 400, code: 'MaxMessageLengthExceeded', message: 'Your request was too big.' };
}
