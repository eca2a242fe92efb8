import { adminApiClientsRoute } from '../routes/admin-api-clients';
import { adminPlatformRoute } from '../routes/admin-platform';
import { adminPlatformsRoute } from '../routes/admin-platforms';
import { adminUsersRoute } from '../routes/admin-users';
import { authCallbackRoute } from '../routes/auth-callback';
import { dashboardRoute } from '../routes/dashboard';
import { developerRoute } from '../routes/developer';
import { noticeRoute } from '../routes/notice';
import { noticeBatchRoute } from '../routes/notice-batch';
import { noticeCheckRoute } from '../routes/notice-check';
import { noticeConfirmationRoute } from '../routes/notice-confirmation';
import { noticeNewRoute } from '../routes/notice-new';
import { noticesRoute } from '../routes/notices';
import { receiptRoute } from '../routes/receipt';
import { respondAnswersRoute } from '../routes/respond-answers';
import { respondFileRoute } from '../routes/respond-file';
import { respondFilesRoute } from '../routes/respond-files';
import { respondReviewRoute } from '../routes/respond-review';
import { respondSignRoute } from '../routes/respond-sign';
import { respondTasksRoute } from '../routes/respond-tasks';
import { rootRoute } from '../routes/root';
import { signedOutRoute } from '../routes/signed-out';
import { verifyReceiptRoute } from '../routes/verify-receipt';

/** Every page, one route per file under routes/. */
export const routeTree = rootRoute.addChildren([
  authCallbackRoute,
  signedOutRoute,
  dashboardRoute,
  noticesRoute,
  noticeNewRoute,
  noticeRoute,
  noticeCheckRoute,
  noticeConfirmationRoute,
  noticeBatchRoute,
  respondTasksRoute,
  respondAnswersRoute,
  respondFilesRoute,
  respondReviewRoute,
  respondSignRoute,
  respondFileRoute,
  receiptRoute,
  adminPlatformsRoute,
  adminPlatformRoute,
  adminUsersRoute,
  adminApiClientsRoute,
  developerRoute,
  verifyReceiptRoute,
]);
