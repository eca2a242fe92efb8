import { randomBytes } from 'node:crypto';
import type { StoreService } from './store-operations';

/**
 * Error answers shaped exactly as the real stores send them, so the AWS SDK parses them into the same error
 * classes (and the same retry decisions) as on AWS: DynamoDB's JSON 1.0 `__type`, S3's XML `<Error>`.
 */
export interface StoreError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ErrorFlavour = 'internal' | 'throttle';

export function storeError(
  service: StoreService,
  status: number,
  flavour: ErrorFlavour,
  /** Overrides the error code, e.g. DynamoDB's `ProvisionedThroughputExceededException` instead of throttling. */
  code?: string,
): StoreError {
  const requestId = randomBytes(10).toString('hex').toUpperCase();
  return service === 'dynamodb'
    ? dynamoDbError(status, code ?? (flavour === 'throttle' ? 'ThrottlingException' : 'InternalServerError'), requestId)
    : s3Error(status, code ?? (flavour === 'throttle' ? 'SlowDown' : 'InternalError'), requestId);
}

const DYNAMODB_MESSAGES: Record<string, string> = {
  ThrottlingException: 'Rate of requests exceeds the allowed throughput.',
  ProvisionedThroughputExceededException:
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  InternalServerError: 'Internal server error',
};

function dynamoDbError(status: number, code: string, requestId: string): StoreError {
  const body = JSON.stringify({
    __type: `com.amazonaws.dynamodb.v20120810#${code}`,
    message: DYNAMODB_MESSAGES[code] ?? code,
  });
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': requestId,
    },
    body,
  };
}

const S3_MESSAGES: Record<string, string> = {
  SlowDown: 'Please reduce your request rate.',
  InternalError: 'We encountered an internal error. Please try again.',
  ServiceUnavailable: 'Service is unable to handle request.',
};

function s3Error(status: number, code: string, requestId: string): StoreError {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${S3_MESSAGES[code] ?? code}</Message>` +
    `<RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
  return {
    status,
    headers: {
      'content-type': 'application/xml',
      'content-length': String(Buffer.byteLength(body)),
      'x-amz-request-id': requestId,
    },
    body,
  };
}
