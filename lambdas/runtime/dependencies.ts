import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { DynamoDbDirectoryStore } from '../adapters/dynamodb-directory-store';
import { DynamoDbNoticeStore } from '../adapters/dynamodb-notice-store';
import { publicHolidayCalendar } from '../adapters/public-holidays';
import { ACCESS_TOKEN_TYPE, FileReceiptSigner, KmsReceiptSigner } from '../adapters/receipt-signers';
import { bearerAuthenticator } from '../auth/authenticate';
import { jwksTokenVerifier } from '../auth/token-verifier';
import { type Config, ConfigError, config, ENV, MACHINE_TOKEN_AUDIENCE, MACHINE_TOKEN_ISSUER } from '../config';
import { resolveMachineCaller } from '../domain/api-clients';
import { resolveCaller } from '../domain/directory-service';
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
  directory: DynamoDbDirectoryStore;
  /** Signs (token endpoint) and publishes the keys of the portal's machine-client access tokens. */
  machineTokens: FileReceiptSigner | KmsReceiptSigner;
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
  const directory = new DynamoDbDirectoryStore(doc, cfg.tableName);
  const notices = new NoticeService({
    store,
    catalogue: cfg.catalogue,
    defaultTimeZone: cfg.defaultTimeZone,
    defaultJurisdiction: cfg.deadlineJurisdiction,
    maxDueDays: cfg.maxDueDays,
    holidaysFor: memoize(publicHolidayCalendar, (j) => `${j.country}-${j.state ?? ''}-${j.holidayTypes ?? 'default'}`),
    platforms: (id) => directory.getPlatform(id),
    clock: now,
    newNoticeId: () => newNoticeId(now()),
    noticeIdForIdempotencyKey,
  });
  const machineTokens = machineTokenSigner(cfg);
  let machineKeys: JWTVerifyGetKey | undefined;
  const bearer = bearerAuthenticator(
    jwksTokenVerifier(cfg.auth, undefined, {
      issuer: MACHINE_TOKEN_ISSUER,
      audience: MACHINE_TOKEN_AUDIENCE,
      keys: async (header, token) => {
        machineKeys ??= createLocalJWKSet(await machineTokens.publicJwks());
        return machineKeys(header, token);
      },
    }),
  );
  // A valid signature is not enough: the account (or API client) must be known to the portal and active, now.
  const authenticate: Authenticate = async (header) => {
    const caller = await bearer(header);
    return caller.via === 'api-client'
      ? resolveMachineCaller(directory, directory, caller.subject, caller.platformId)
      : resolveCaller(directory, caller);
  };
  built = { config: cfg, store, doc, directory, machineTokens, notices, authenticate };
  return built;
}

function machineTokenSigner(cfg: Config): FileReceiptSigner | KmsReceiptSigner {
  const settings = cfg.machineTokens;
  if (settings.signer === 'file') return new FileReceiptSigner(settings.keyFile, ACCESS_TOKEN_TYPE);
  if (!settings.keyId) {
    throw new ConfigError(`Invalid configuration: ${ENV.tokenKmsKeyId} is required when ${ENV.tokenSigner}=kms`);
  }
  return new KmsReceiptSigner(new KMSClient({}), settings.keyId, ACCESS_TOKEN_TYPE);
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
