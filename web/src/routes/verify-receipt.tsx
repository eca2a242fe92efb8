import { createRoute } from '@tanstack/react-router';
import { PublicShell } from '../receipts/public-shell';
import { VerifyReceiptPage } from '../receipts/verify-receipt-page';
import { rootRoute } from './root';

/** Public: anyone holding a receipt can check it, signed in or not (root.tsx lists the path as public). */
export const verifyReceiptRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/verify-receipt',
  component: () => (
    <PublicShell>
      <VerifyReceiptPage />
    </PublicShell>
  ),
});
