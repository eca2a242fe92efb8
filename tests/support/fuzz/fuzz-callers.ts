import { ROUTES } from '../../../lambdas/api/routes';

/**
 * Who the fuzzer calls each route as. Fuzzing only as a caller the route refuses would test nothing but 403s, so
 * most cases come from a permitted caller; some come from a refused one, whose case must then also change nothing
 * whatever the body. The grouping mirrors the access policy that tests/integration/access-matrix.test.ts proves.
 *
 * `machine` is an x-corp machine client (client-credentials token); `anonymous` sends no token.
 */
export type FuzzCaller = 'admin' | 'officer' | 'x-corp-legal' | 'videoshare-legal' | 'machine' | 'anonymous';

export interface CallerRule {
  permitted: FuzzCaller[];
  /** A caller the route refuses (401, 403 or 404 however good the request). */
  refused: FuzzCaller;
}

const ADMIN_ONLY = [
  'createPlatform',
  'renamePlatform',
  'changePlatformContacts',
  'mergePlatform',
  'inviteUser',
  'listUsers',
  'disableUser',
  'enableUser',
  'registerSigningKey',
  'revokeSigningKey',
  'createApiClient',
  'listApiClients',
  'revokeApiClient',
];
const REGULATORS = [
  'createDraft',
  'countNotices',
  'reviseDraft',
  'issueNotice',
  'withdrawNotice',
  'startReview',
  'requestFurtherInformation',
  'acceptResponse',
  'closeNotice',
  'grantExtension',
  'refuseExtension',
  'recordPayment',
  'recordNonPayment',
  'correctPayment',
  'previewDueTime',
  'listPlatforms',
];
const OWN_PLATFORM = [
  'getResponseDraft',
  'saveResponseDraft',
  'acknowledgeNotice',
  'requestExtension',
  'openSubmission',
  'getUploadUrls',
  'listUploadedParts',
  'completeFile',
  'finalizeSubmission',
];
const REGULATORS_AND_OWN = [
  'getNotice',
  'getNoticeHistory',
  'getNoticeCheckpointProofs',
  'getPlatform',
  'listSigningKeys',
  'listSubmissions',
  'getSubmission',
  'requestEvidenceBundle',
  'getEvidenceBundle',
  'downloadFile',
];
const EVERY_SIGNED_IN = ['listNotices', 'listNoticeTypes'];

export function callerRule(operationId: string): CallerRule {
  const route = ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`No route ${operationId}`);
  const machine: FuzzCaller[] = route.machineAccess ? ['machine'] : [];
  if (route.public) return { permitted: ['anonymous'], refused: 'anonymous' };
  if (ADMIN_ONLY.includes(operationId)) return { permitted: ['admin'], refused: 'officer' };
  if (REGULATORS.includes(operationId)) return { permitted: ['officer', 'admin'], refused: 'x-corp-legal' };
  if (OWN_PLATFORM.includes(operationId)) return { permitted: ['x-corp-legal', ...machine], refused: 'officer' };
  if (REGULATORS_AND_OWN.includes(operationId)) {
    // videoshare's user is refused x-corp's resources (404); for resources the fuzzer makes up, it is simply 404.
    return { permitted: ['officer', 'x-corp-legal', ...machine], refused: 'videoshare-legal' };
  }
  if (EVERY_SIGNED_IN.includes(operationId)) {
    return { permitted: ['officer', 'x-corp-legal', ...machine], refused: 'anonymous' };
  }
  throw new Error(`fuzz-callers.ts does not say who calls ${operationId}: add it to one of the groups`);
}
