import { Duration } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type PortalSettings, portalEnvironment } from './function-environment';
import { handlerEntry, PortalFunction, type ResponseBinding, type TableBinding } from './portal-function';

/** What a function that hashes stored response files and files waiting submissions is given. */
export interface ResponseVerifierProps {
  readonly data: TableBinding;
  readonly storage: ResponseBinding;
  readonly receiptKey: IKey;
  readonly settings: PortalSettings;
  readonly logRetention?: RetentionDays;
}

/**
 * The upload hasher and the pending-verification job do the same work from different triggers, so they are the
 * same kind of function: Lambda's longest timeout and 1 GiB (a file may be 5 GiB, streamed through SHA-256; memory
 * buys CPU and network share), two retries into a dead-letter queue (hashing and filing are idempotent), read access
 * to the stored files, read-write access to the table, and the receipt key to sign with.
 */
export function responseVerifierFunction(
  scope: Construct,
  id: string,
  props: ResponseVerifierProps & { handler: string; description: string; deadLetterQueue: Queue },
): PortalFunction {
  const fn = new PortalFunction(scope, id, {
    entry: handlerEntry(props.handler),
    description: props.description,
    environment: portalEnvironment(props.settings),
    timeout: Duration.minutes(15),
    memorySize: 1024,
    logRetention: props.logRetention,
    retryAttempts: 2,
    deadLetterQueue: props.deadLetterQueue,
  });
  fn.bindTable(props.data, 'read-write');
  fn.bindResponses(props.storage, 'read');
  fn.bindReceiptKey(props.receiptKey, 'sign');
  return fn;
}
