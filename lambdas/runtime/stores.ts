import { DynamoDbBackfillProgress } from '../adapters/dynamodb-backfill-progress';
import { DynamoDbCheckpointStore } from '../adapters/dynamodb-checkpoint-store';
import { documentClient } from '../adapters/dynamodb-client';
import { DynamoDbDirectoryStore } from '../adapters/dynamodb-directory-store';
import { DynamoDbEmailDeliveryLog } from '../adapters/dynamodb-email-delivery-log';
import { DynamoDbEvidenceBundleStore } from '../adapters/dynamodb-evidence-bundle-store';
import { DynamoDbNoticeStore } from '../adapters/dynamodb-notice-store';
import { DynamoDbResponseDraftStore } from '../adapters/dynamodb-response-draft-store';
import { DynamoDbSigningKeyStore } from '../adapters/dynamodb-signing-key-store';
import { DynamoDbSubmissionStore } from '../adapters/dynamodb-submission-store';
import { tableConfig } from '../config/table';
import type { ApiClientStore } from '../domain/api-client-store';
import type { CheckpointReader } from '../domain/checkpoint-reader';
import type { CheckpointStore } from '../domain/checkpoint-store';
import type { DirectoryStore } from '../domain/directory-store';
import type { EmailDeliveryLog } from '../domain/email-delivery-log';
import type { EvidenceBundleStore } from '../domain/evidence-bundle';
import type { BackfillProgressStore, PlatformIdPages } from '../domain/key-log-backfill';
import type { KeyLogStore } from '../domain/key-log-store';
import type { NoticeStore } from '../domain/notice-store';
import type { ProjectionRepair } from '../domain/projection-repair';
import type { ReminderStore } from '../domain/reminder-store';
import type { ResponseDraftStore } from '../domain/response-draft-store';
import type { SigningKeyStore } from '../domain/signing-key-store';
import type { SubmissionStore } from '../domain/submission-store';
import { traced } from '../observability/tracer';
import { now } from './clock';
import { once } from './once';

/**
 * Every persistence port, each backed by the notices table through one document client per process. Callers get
 * the port, never the adapter: only this file knows the data lives in DynamoDB.
 */
const doc = once(() => traced(documentClient()));
const tableName = () => tableConfig().tableName;

/**
 * The table's one client and name, for an adapter outside this file that reads items of its own (the SES
 * mailer's delivery witness); handlers use the ports below.
 */
export const table = once(() => ({ doc: doc(), tableName: tableName() }));

const dynamoDbNoticeStore = once(() => new DynamoDbNoticeStore(doc(), tableName(), now));
const dynamoDbDirectoryStore = once(() => new DynamoDbDirectoryStore(doc(), tableName()));

export const noticeStore = (): NoticeStore => dynamoDbNoticeStore();
export const reminderStore = (): ReminderStore => dynamoDbNoticeStore();
export const projectionRepair = (): ProjectionRepair => dynamoDbNoticeStore();
export const directoryStore = (): DirectoryStore => dynamoDbDirectoryStore();
export const apiClientStore = (): ApiClientStore => dynamoDbDirectoryStore();
/** The directory's platform ids a page at a time, for the backfills that walk every platform. */
export const platformIdPages = (): PlatformIdPages => dynamoDbDirectoryStore();
/** The progress marker of backfill `name` (one item; a new revision starts the pass again). */
export const backfillProgress = (name: string, revision: number): BackfillProgressStore =>
  new DynamoDbBackfillProgress(doc(), tableName(), name, revision);
export const submissionStore: () => SubmissionStore = once(() => new DynamoDbSubmissionStore(doc(), tableName()));
const dynamoDbSigningKeyStore = once(() => new DynamoDbSigningKeyStore(doc(), tableName()));
export const signingKeyStore = (): SigningKeyStore => dynamoDbSigningKeyStore();
/** The platforms' key logs (chain `platform-keys:<p>`), in the same partitions as their keys. */
export const keyLogStore = (): KeyLogStore => dynamoDbSigningKeyStore();
export const emailDeliveryLog: () => EmailDeliveryLog = once(() => new DynamoDbEmailDeliveryLog(doc(), tableName()));
export const responseDraftStore: () => ResponseDraftStore = once(
  () => new DynamoDbResponseDraftStore(doc(), tableName()),
);
const dynamoDbCheckpointStore = once(() => new DynamoDbCheckpointStore(doc(), tableName()));
/** The checkpoint run's storage (markers, checkpoints, proofs). */
export const checkpointStore = (): CheckpointStore => dynamoDbCheckpointStore();
/** Published checkpoints and proofs: the public endpoints, receipts and notices naming the latest, the bundle. */
export const checkpointReader = (): CheckpointReader => dynamoDbCheckpointStore();
export const evidenceBundleStore: () => EvidenceBundleStore = once(
  () => new DynamoDbEvidenceBundleStore(doc(), tableName()),
);
