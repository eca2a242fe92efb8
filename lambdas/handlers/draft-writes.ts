import { dispatchByRoute } from '../http/route-dispatch';
import { handler as createDraft } from './create-draft';
import { handler as reviseDraft } from './revise-draft';

/** The one function for writing drafts (routes.ts): POST /notices and POST /notices/{noticeId}/draft. */
export const handler = dispatchByRoute({
  'POST /notices': createDraft,
  'POST /notices/{noticeId}/draft': reviseDraft,
});
