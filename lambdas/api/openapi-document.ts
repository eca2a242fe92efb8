import { ApiClientSchema, CreateApiClientRequestSchema } from '../domain/api-clients';
import { CheckpointRecordSchema } from '../domain/checkpoint';
import { BundlePathSchema, EvidenceBundleRequestSchema, EvidenceBundleSchema } from '../domain/evidence-bundle';
import { CreateDraftRequestSchema, DueTimePreviewRequestSchema, NoticeSchema } from '../domain/notice';
import { NoticeTypeDescriptionSchema } from '../domain/notice-catalogue';
import {
  ContactsRequestSchema,
  CreatePlatformRequestSchema,
  DisableUserRequestSchema,
  InviteUserRequestSchema,
  MergePlatformRequestSchema,
  PlatformSchema,
  PortalUserSchema,
  RenamePlatformRequestSchema,
} from '../domain/platforms';
import { ResponseDraftSchema, SaveResponseDraftRequestSchema } from '../domain/response-draft';
import { RegisterKeyRequestSchema, RevokeKeyRequestSchema, SigningKeySchema } from '../domain/signing-keys';
import { FinalizeRequestSchema, OpenSubmissionRequestSchema, SubmissionSchema } from '../domain/submission';
import * as z from '../domain/zod';
import {
  AcknowledgeRequestSchema,
  ApiClientPathSchema,
  CheckpointPathSchema,
  CompleteFileRequestSchema,
  DownloadSchema,
  DueTimePreviewSchema,
  ErrorSchema,
  ExtensionGrantSchema,
  ExtensionPathSchema,
  ExtensionRequestSchema,
  FilePathSchema,
  FinalizeResponseSchema,
  FurtherInformationRequestSchema,
  HealthSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  InclusionProofListSchema,
  JwksSchema,
  ListNoticesQuerySchema,
  ListUsersQuerySchema,
  NoticeCountsSchema,
  NoticePageSchema,
  NoticePathSchema,
  OpenedSubmissionSchema,
  OptionalReasonSchema,
  PaymentCorrectionRequestSchema,
  PaymentRecordRequestSchema,
  PlatformPathSchema,
  ReasonSchema,
  RegulatorKeysSchema,
  ReviseDraftRequestSchema,
  SigningKeyListSchema,
  SigningKeyPathSchema,
  SubmissionListSchema,
  SubmissionPathSchema,
  TokenRequestSchema,
  TokenResponseSchema,
  UploadedPartsSchema,
  UploadTargetSchema,
  UploadUrlsRequestSchema,
  UserPathSchema,
  WithdrawRequestSchema,
} from './contract';
import { ROUTES, type RouteDefinition } from './routes';

/**
 * OpenAPI 3.1 generated from the route table and the zod schemas the handlers parse with. JSON Schema 2020-12 is
 * OpenAPI 3.1's schema dialect, so zod's own converter output is used as is; named schemas (`z.described(schema, { id })`)
 * become components.
 */
export interface OperationShape {
  params?: z.ZodMiniObject;
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  /** The body may be left out (see HandlerSpec.bodyOptional). */
  bodyOptional?: boolean;
  /** A form-encoded body (the OAuth token endpoint) instead of JSON. */
  formBody?: z.ZodMiniType;
  success: { status: number; schema: z.ZodMiniType; description: string };
  errors: number[];
  idempotent?: boolean;
}

const CHANGE_ERRORS = [400, 401, 403, 404, 409, 413, 415];

/** Per operation: the schemas its handler parses with. Exported for the tests that check every route. */
export const OPERATIONS: Record<string, OperationShape> = {
  createDraft: {
    body: CreateDraftRequestSchema,
    success: { status: 201, schema: NoticeSchema, description: 'The draft (200 when a retry returns it again).' },
    errors: [400, 401, 403, 409, 413, 415],
    idempotent: true,
  },
  listNotices: {
    query: ListNoticesQuerySchema,
    success: { status: 200, schema: NoticePageSchema, description: 'One page of notices, soonest due first.' },
    errors: [400, 401, 403],
  },
  countNotices: {
    success: {
      status: 200,
      schema: NoticeCountsSchema,
      description: 'Notices per status, overdue, due within 7 days, and extension requests awaiting a decision.',
    },
    errors: [401, 403],
  },
  reviseDraft: {
    params: NoticePathSchema,
    body: ReviseDraftRequestSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The draft with its new content and version.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  getNotice: {
    params: NoticePathSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The notice.' },
    errors: [400, 401, 403, 404],
  },
  getResponseDraft: {
    params: NoticePathSchema,
    success: {
      status: 200,
      schema: ResponseDraftSchema,
      description: 'The draft (version 0, with no answers, when nothing was saved yet).',
    },
    errors: [400, 401, 403, 404],
  },
  saveResponseDraft: {
    params: NoticePathSchema,
    body: SaveResponseDraftRequestSchema,
    success: { status: 200, schema: ResponseDraftSchema, description: 'The saved draft with its new version.' },
    errors: CHANGE_ERRORS,
  },
  issueNotice: {
    params: NoticePathSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The issued notice with givenAt and dueAt.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  acknowledgeNotice: {
    params: NoticePathSchema,
    body: AcknowledgeRequestSchema,
    bodyOptional: true,
    success: { status: 200, schema: NoticeSchema, description: 'The acknowledged notice.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  withdrawNotice: {
    params: NoticePathSchema,
    body: WithdrawRequestSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The withdrawn notice.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  getNoticeHistory: {
    params: NoticePathSchema,
    query: HistoryQuerySchema,
    success: { status: 200, schema: HistoryPageSchema, description: 'Events, oldest first.' },
    errors: [400, 401, 403, 404],
  },
  startReview: {
    params: NoticePathSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The notice, under review.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  requestFurtherInformation: {
    params: NoticePathSchema,
    body: FurtherInformationRequestSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The notice with its new due time.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  acceptResponse: {
    params: NoticePathSchema,
    body: OptionalReasonSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The accepted notice.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  closeNotice: {
    params: NoticePathSchema,
    body: OptionalReasonSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The closed notice.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  requestExtension: {
    params: NoticePathSchema,
    body: ExtensionRequestSchema,
    success: { status: 201, schema: NoticeSchema, description: 'The notice with the request in `extensions`.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  grantExtension: {
    params: ExtensionPathSchema,
    body: ExtensionGrantSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The notice with its new due time.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  refuseExtension: {
    params: ExtensionPathSchema,
    body: ReasonSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The notice; its due time is unchanged.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  recordPayment: {
    params: NoticePathSchema,
    body: PaymentRecordRequestSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The paid infringement notice.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  correctPayment: {
    params: NoticePathSchema,
    body: PaymentCorrectionRequestSchema,
    success: {
      status: 200,
      schema: NoticeSchema,
      description: 'The notice with the correction in `paymentCorrections` (and, if voided, awaiting payment again).',
    },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  recordNonPayment: {
    params: NoticePathSchema,
    body: ReasonSchema,
    success: { status: 200, schema: NoticeSchema, description: 'The unpaid infringement notice.' },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  createPlatform: {
    body: CreatePlatformRequestSchema,
    success: { status: 201, schema: PlatformSchema, description: 'The platform (200 when sent again).' },
    errors: [400, 401, 403, 409, 413, 415],
  },
  listNoticeTypes: {
    success: {
      status: 200,
      schema: z.object({ items: z.array(NoticeTypeDescriptionSchema) }),
      description: 'Every notice type, in catalogue order.',
    },
    errors: [401],
  },
  previewDueTime: {
    body: DueTimePreviewRequestSchema,
    success: {
      status: 200,
      schema: DueTimePreviewSchema,
      description: 'The due time issuing would compute, with its explanation; nothing is saved.',
    },
    errors: [400, 401, 403, 413, 415],
  },
  listPlatforms: {
    success: { status: 200, schema: z.object({ items: z.array(PlatformSchema) }), description: 'Platforms.' },
    errors: [401, 403],
  },
  getPlatform: {
    params: PlatformPathSchema,
    success: { status: 200, schema: PlatformSchema, description: 'The platform with its provenance.' },
    errors: [400, 401, 403, 404],
  },
  renamePlatform: {
    params: PlatformPathSchema,
    body: RenamePlatformRequestSchema,
    success: { status: 200, schema: PlatformSchema, description: 'The renamed platform.' },
    errors: CHANGE_ERRORS,
  },
  changePlatformContacts: {
    params: PlatformPathSchema,
    body: ContactsRequestSchema,
    success: { status: 200, schema: PlatformSchema, description: 'The platform with its new contacts.' },
    errors: CHANGE_ERRORS,
  },
  mergePlatform: {
    params: PlatformPathSchema,
    body: MergePlatformRequestSchema,
    success: { status: 200, schema: PlatformSchema, description: 'The merged platform.' },
    errors: CHANGE_ERRORS,
  },
  inviteUser: {
    body: InviteUserRequestSchema,
    success: {
      status: 201,
      schema: z.object({ user: PortalUserSchema, temporaryPassword: z.optional(z.string()) }),
      description: 'The user (a temporary password only from the local development provider).',
    },
    errors: [400, 401, 403, 409, 413, 415],
  },
  listUsers: {
    query: ListUsersQuerySchema,
    success: { status: 200, schema: z.object({ items: z.array(PortalUserSchema) }), description: 'Users.' },
    errors: [400, 401, 403],
  },
  disableUser: {
    params: UserPathSchema,
    body: DisableUserRequestSchema,
    success: { status: 200, schema: PortalUserSchema, description: 'The disabled user.' },
    errors: CHANGE_ERRORS,
  },
  enableUser: {
    params: UserPathSchema,
    success: { status: 200, schema: PortalUserSchema, description: 'The enabled user.' },
    errors: CHANGE_ERRORS,
  },
  createApiClient: {
    params: PlatformPathSchema,
    body: CreateApiClientRequestSchema,
    success: {
      status: 201,
      schema: z.object({ client: z.omit(ApiClientSchema, { secretHash: true }), clientSecret: z.string() }),
      description: 'The client and its secret (shown this once).',
    },
    errors: [400, 401, 403, 404, 409, 413, 415],
  },
  listApiClients: {
    params: PlatformPathSchema,
    success: {
      status: 200,
      schema: z.object({ items: z.array(z.omit(ApiClientSchema, { secretHash: true })) }),
      description: "The platform's clients, without secrets.",
    },
    errors: [400, 401, 403],
  },
  revokeApiClient: {
    params: ApiClientPathSchema,
    body: ReasonSchema,
    success: { status: 200, schema: z.omit(ApiClientSchema, { secretHash: true }), description: 'The revoked client.' },
    errors: CHANGE_ERRORS,
  },
  issueAccessToken: {
    formBody: TokenRequestSchema,
    success: { status: 200, schema: TokenResponseSchema, description: 'A 15-minute access token.' },
    errors: [400, 401],
  },
  getAccessTokenKeys: {
    success: { status: 200, schema: JwksSchema, description: 'The portal’s access-token keys (JWKS).' },
    errors: [],
  },
  registerSigningKey: {
    params: PlatformPathSchema,
    body: RegisterKeyRequestSchema,
    success: { status: 201, schema: SigningKeySchema, description: 'The registered key (200 if it was already).' },
    errors: [400, 401, 403, 409, 413, 415],
  },
  listSigningKeys: {
    params: PlatformPathSchema,
    success: { status: 200, schema: SigningKeyListSchema, description: "The platform's keys." },
    errors: [400, 401, 403, 404],
  },
  revokeSigningKey: {
    params: SigningKeyPathSchema,
    body: RevokeKeyRequestSchema,
    success: { status: 200, schema: SigningKeySchema, description: 'The revoked key.' },
    errors: CHANGE_ERRORS,
  },
  openSubmission: {
    params: NoticePathSchema,
    body: OpenSubmissionRequestSchema,
    success: {
      status: 201,
      schema: OpenedSubmissionSchema,
      description:
        'The submission and an upload target per file (200 when a retry with the same key returns it). ' +
        '`files: []` opens a response of answers only: no uploads, and finalize files it at once.',
    },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  listSubmissions: {
    params: NoticePathSchema,
    success: { status: 200, schema: SubmissionListSchema, description: "The notice's submissions, newest first." },
    errors: [400, 401, 403, 404],
  },
  requestEvidenceBundle: {
    params: NoticePathSchema,
    body: EvidenceBundleRequestSchema,
    success: {
      status: 202,
      schema: EvidenceBundleSchema,
      description:
        'The bundle, `building`; poll the URL in `Location` until it is `ready` (then it has a `downloadUrl`). ' +
        'A retry with the same Idempotency-Key returns the same bundle.',
    },
    errors: CHANGE_ERRORS,
    idempotent: true,
  },
  getEvidenceBundle: {
    params: BundlePathSchema,
    success: {
      status: 200,
      schema: EvidenceBundleSchema,
      description: 'The bundle; `downloadUrl` (valid for 5 minutes) once `ready`. Fetch again for a fresh URL.',
    },
    errors: [400, 401, 403, 404],
  },
  getSubmission: {
    params: SubmissionPathSchema,
    success: { status: 200, schema: SubmissionSchema, description: 'The submission.' },
    errors: [400, 401, 403, 404],
  },
  getUploadUrls: {
    params: FilePathSchema,
    body: UploadUrlsRequestSchema,
    success: {
      status: 200,
      schema: UploadTargetSchema,
      description:
        'Fresh upload URLs. For a multipart upload with `checksumAlgorithm: SHA256` list the parts as ' +
        '`{partNumber, sha256}` (hex of the part): each part URL binds that SHA-256, so send its `headers` as given.',
    },
    errors: CHANGE_ERRORS,
  },
  listUploadedParts: {
    params: FilePathSchema,
    success: { status: 200, schema: UploadedPartsSchema, description: 'Parts already stored.' },
    errors: [400, 401, 403, 404, 409],
  },
  completeFile: {
    params: FilePathSchema,
    body: CompleteFileRequestSchema,
    success: { status: 200, schema: SubmissionSchema, description: 'The submission with the file completed.' },
    errors: CHANGE_ERRORS,
  },
  finalizeSubmission: {
    params: SubmissionPathSchema,
    body: FinalizeRequestSchema,
    success: {
      status: 200,
      schema: FinalizeResponseSchema,
      description: 'Filed, with the signed receipt (202 with status "verifying" while stored files are hashed).',
    },
    errors: CHANGE_ERRORS,
  },
  downloadFile: {
    params: FilePathSchema,
    success: { status: 200, schema: DownloadSchema, description: 'A presigned download URL.' },
    errors: [400, 401, 403, 404],
  },
  getReceiptKeys: {
    success: {
      status: 200,
      schema: JwksSchema,
      description: "The regulator's keys as a JWKS (one entry per kid), the same keys as regulator-keys.json.",
    },
    errors: [],
  },
  getRegulatorKeys: {
    success: {
      status: 200,
      schema: RegulatorKeysSchema,
      description: "The regulator's keys with their validity windows, and the key log they come from.",
    },
    errors: [],
  },
  getLatestCheckpoint: {
    success: {
      status: 200,
      schema: CheckpointRecordSchema,
      description: 'The latest complete signed checkpoint (404 before the first).',
    },
    errors: [404],
  },
  getCheckpoint: {
    params: CheckpointPathSchema,
    success: { status: 200, schema: CheckpointRecordSchema, description: 'The signed checkpoint.' },
    errors: [400, 404],
  },
  getNoticeCheckpointProofs: {
    params: NoticePathSchema,
    success: {
      status: 200,
      schema: InclusionProofListSchema,
      description: "The notice chain's inclusion proofs, one per checkpoint covering a change to it, oldest first.",
    },
    errors: [400, 401, 403, 404],
  },
  getOpenApi: {
    success: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'This document.' },
    errors: [],
  },
  getHealth: { success: { status: 200, schema: HealthSchema, description: 'The API is up.' }, errors: [] },
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `error.issues` lists each field and what is wrong with it.',
  401: 'Missing, expired or invalid bearer token.',
  403: 'The caller’s role may not do this.',
  404: 'No such notice, or it belongs to another platform.',
  409: 'Not allowed in the notice’s current status, lost a race with another change, or an Idempotency-Key reused.',
  413: 'The request body is too large.',
  415: 'The request body is not JSON.',
};

type JsonSchema = Record<string, unknown>;

class ComponentCollector {
  readonly schemas: Record<string, JsonSchema> = {};

  toSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
    const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
    const rewritten = JSON.parse(
      JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/'),
    ) as JsonSchema;
    const { $schema: _ignored, $defs, ...root } = rewritten as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [name, def] of Object.entries($defs ?? {})) {
      // A schema used both as input and output is recorded once; the output form is the stricter description.
      this.schemas[name] ??= def;
    }
    return root;
  }
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const components = new ComponentCollector();
  const paths: Record<string, Record<string, unknown>> = {};
  // Converted first, so components.schemas keeps the order the document has always had.
  const errorSchema = components.toSchema(ErrorSchema, 'output');

  for (const route of ROUTES) {
    const shape = OPERATIONS[route.operationId];
    if (!shape) throw new Error(`No OpenAPI shape for operation ${route.operationId}`);
    assertPathParametersDeclared(route, shape);
    const operations = paths[route.path] ?? {};
    paths[route.path] = operations;
    operations[route.method.toLowerCase()] = operationObject(route, shape, components, errorSchema);
  }

  return JSON.parse(JSON.stringify(documentAround(paths, components.schemas)));
}

/** A templated path parameter the shape does not declare would be a route the document cannot describe. */
function assertPathParametersDeclared(route: RouteDefinition, shape: OperationShape): void {
  const templated = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]).sort();
  const declared = Object.keys(shape.params?.shape ?? {}).sort();
  if (templated.join() !== declared.join()) {
    throw new Error(`${route.operationId}: path ${route.path} has {${templated}} but its params declare {${declared}}`);
  }
}

function operationObject(
  route: RouteDefinition,
  shape: OperationShape,
  components: ComponentCollector,
  errorSchema: JsonSchema,
): Record<string, unknown> {
  // Parameters, then responses, then the body: the order in which their schemas reach `components`.
  const parameters = operationParameters(shape, components);
  const responses = operationResponses(shape, components, errorSchema);
  return {
    operationId: route.operationId,
    summary: route.summary,
    security: route.public ? [] : [{ bearerAuth: [] }],
    parameters: parameters.length ? parameters : undefined,
    requestBody: operationRequestBody(shape, components),
    responses,
  };
}

function operationParameters(shape: OperationShape, components: ComponentCollector): unknown[] {
  const parameters: unknown[] = [];
  for (const [location, schema] of [
    ['path', shape.params],
    ['query', shape.query],
  ] as const) {
    if (!schema) continue;
    // One parameter per property of the zod object. Converting the object whole is not enough: a named object
    // schema (`z.described(…, { id: 'NoticePath' })`) converts to a bare `$ref` with no properties, and the operation
    // would silently declare none of its templated path parameters.
    for (const [name, property] of Object.entries(schema.shape as Record<string, z.ZodMiniType>)) {
      parameters.push({
        name,
        in: location,
        // Optional when it accepts nothing at all (optional, or with a default), as the classic `isOptional()`.
        required: location === 'path' || !property.safeParse(undefined).success,
        schema: components.toSchema(property, 'input'),
      });
    }
  }
  if (shape.idempotent) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A retry with the same key returns the first result instead of failing or duplicating.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
    });
  }
  return parameters;
}

function operationResponses(
  shape: OperationShape,
  components: ComponentCollector,
  errorSchema: JsonSchema,
): Record<string, unknown> {
  const responses: Record<string, unknown> = {
    [shape.success.status]: {
      description: shape.success.description,
      content: { 'application/json': { schema: components.toSchema(shape.success.schema, 'output') } },
    },
  };
  for (const status of shape.errors) {
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { 'application/json': { schema: errorSchema } },
    };
  }
  responses['500'] = { description: 'Unexpected failure; the body carries only a request id.' };
  return responses;
}

function operationRequestBody(shape: OperationShape, components: ComponentCollector): unknown {
  if (shape.body) {
    return {
      required: !shape.bodyOptional,
      content: { 'application/json': { schema: components.toSchema(shape.body, 'input') } },
    };
  }
  if (shape.formBody) {
    return {
      required: true,
      content: { 'application/x-www-form-urlencoded': { schema: components.toSchema(shape.formBody, 'input') } },
    };
  }
  return undefined;
}

function documentAround(
  paths: Record<string, Record<string, unknown>>,
  schemas: Record<string, JsonSchema>,
): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Notice-response portal API',
      version: '0.1.0',
      description:
        'Regulators issue legally binding notices to online platforms; platforms acknowledge and respond. Every change is an event in a hash-chained history.',
    },
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An ID token from the portal’s identity provider (Cognito on AWS; the dev provider locally).',
        },
      },
    },
  };
}
