import { DIRECTORY_TEMPLATES } from './directory-templates';
import { NOTICE_TEMPLATES } from './notice-templates';
import type { RequestTemplate } from './request-template';
import { SUBMISSION_TEMPLATES } from './submission-templates';

/** One request template per route (some routes more than one variant), in the order the matrix runs them. */
export const TEMPLATES: RequestTemplate[] = [
  ...NOTICE_TEMPLATES,
  ...DIRECTORY_TEMPLATES,
  ...SUBMISSION_TEMPLATES,
  // public
  { id: 'getReceiptKeys', operationId: 'getReceiptKeys', scope: 'global', ok: [200] },
  { id: 'getRegulatorKeys', operationId: 'getRegulatorKeys', scope: 'global', ok: [200] },
  { id: 'getLatestCheckpoint', operationId: 'getLatestCheckpoint', scope: 'global', ok: [200] },
  { id: 'getCheckpoint', operationId: 'getCheckpoint', scope: 'global', params: () => ({ seq: '1' }), ok: [200] },
  { id: 'getOpenApi', operationId: 'getOpenApi', scope: 'global', ok: [200] },
  { id: 'getHealth', operationId: 'getHealth', scope: 'global', ok: [200] },
];
