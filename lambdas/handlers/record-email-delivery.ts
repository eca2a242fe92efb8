import { type RecordResult, recordSesEmailEvent } from '../adapters/ses-email-events';
import { instrumented } from '../observability/instrumented-handler';
import { logger } from '../observability/logger';
import { emailDeliveryLog } from '../runtime/stores';

const deliveries = emailDeliveryLog();

/**
 * EventBridge target for SES events of the mailer's configuration set: records each as the witness
 * `SesMailer.wasSent` reads (see ses-email-events.ts for the event and dynamodb-email-delivery-log.ts for the
 * idempotent, order-independent writes).
 */
export const handler = instrumented(async (event: unknown): Promise<RecordResult> => {
  const result = await recordSesEmailEvent(deliveries, event);
  if (result.recorded) {
    logger.info('email event recorded', result);
  } else {
    logger.warn('email event ignored', result);
  }
  return result;
});
