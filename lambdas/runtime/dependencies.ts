import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbNoticeStore } from '../adapters/dynamodb-notice-store';
import { publicHolidayCalendar } from '../adapters/public-holidays';
import { bearerAuthenticator } from '../auth/authenticate';
import { jwksTokenVerifier } from '../auth/token-verifier';
import { type Config, config } from '../config';
import { newNoticeId, noticeIdForIdempotencyKey } from '../domain/ids';
import { NoticeService } from '../domain/notice-service';
import type { Authenticate } from '../http/api-handler';
import { now } from './clock';

/**
 * The process's clients and services, built once per Lambda container (or once per local portal) and shared by
 * every invocation. Endpoints come from the SDK's standard variables (AWS_ENDPOINT_URL_DYNAMODB, …), which is the
 * only thing that differs between AWS and the local portal.
 */
export interface Dependencies {
  config: Config;
  store: DynamoDbNoticeStore;
  doc: DynamoDBDocumentClient;
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
  const store = new DynamoDbNoticeStore(doc, cfg.tableName, now);
  const notices = new NoticeService({
    store,
    catalogue: cfg.catalogue,
    defaultTimeZone: cfg.defaultTimeZone,
    defaultJurisdiction: cfg.deadlineJurisdiction,
    holidaysFor: memoize(publicHolidayCalendar, (j) => `${j.country}-${j.state ?? ''}`),
    clock: now,
    newNoticeId: () => newNoticeId(now()),
    noticeIdForIdempotencyKey,
  });
  const authenticate = bearerAuthenticator(jwksTokenVerifier(cfg.auth));
  built = { config: cfg, store, doc, notices, authenticate };
  return built;
}

function memoize<A, R>(fn: (arg: A) => R, key: (arg: A) => string): (arg: A) => R {
  const cache = new Map<string, R>();
  return (arg) => {
    const k = key(arg);
    let value = cache.get(k);
    if (value === undefined) {
      value = fn(arg);
      cache.set(k, value);
    }
    return value;
  };
}

/** For handlers: the authenticator, resolved lazily so public routes never need configuration. */
export const authenticate = (): Authenticate => dependencies().authenticate;
