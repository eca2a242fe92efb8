import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbNoticeStore } from '../adapters/dynamodb-notice-store';
import { bearerAuthenticator } from '../auth/authenticate';
import { jwksTokenVerifier } from '../auth/token-verifier';
import { type Config, config } from '../config';
import { newNoticeId, noticeIdForIdempotencyKey } from '../domain/ids';
import { NoticeService } from '../domain/notice-service';
import type { Authenticate } from '../http/api-handler';

/**
 * The process's clients and services, built once per Lambda container (or once per local portal) and shared by
 * every invocation. Endpoints come from the SDK's standard variables (AWS_ENDPOINT_URL_DYNAMODB, …), which is the
 * only thing that differs between AWS and the local portal.
 */
export interface Dependencies {
  config: Config;
  store: DynamoDbNoticeStore;
  notices: NoticeService;
  authenticate: Authenticate;
}

let built: Dependencies | undefined;

export function dependencies(): Dependencies {
  if (built) return built;
  const cfg = config();
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = new DynamoDbNoticeStore(doc, cfg.tableName);
  const notices = new NoticeService({
    store,
    catalogue: cfg.catalogue,
    defaultTimeZone: cfg.defaultTimeZone,
    clock: () => new Date(),
    newNoticeId: () => newNoticeId(),
    noticeIdForIdempotencyKey,
  });
  const authenticate = bearerAuthenticator(jwksTokenVerifier(cfg.auth));
  built = { config: cfg, store, notices, authenticate };
  return built;
}

/** For handlers: the authenticator, resolved lazily so public routes never need configuration. */
export const authenticate = (): Authenticate => dependencies().authenticate;
