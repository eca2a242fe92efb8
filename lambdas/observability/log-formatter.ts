import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import { currentRequestLogKeys } from './request-context';

/**
 * Powertools' standard JSON keys (level, message, timestamp, service, the Lambda context, the X-Ray trace id),
 * then the keys of the API request being answered (request id, route, caller), then the line's own fields. The
 * request's keys come from request-context.ts rather than `appendKeys`, which would share them between the
 * requests the local portal answers at once.
 */
export class PortalLogFormatter extends LogFormatter {
  formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const request = currentRequestLogKeys();
    return new LogItem({
      attributes: {
        level: attributes.logLevel,
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: context?.coldStart,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
        sampling_rate: attributes.sampleRateValue,
        // Copied: the line's own fields are deep-merged into these, and must not change the request's keys.
        ...(request ? { ...request, caller: { ...request.caller } } : {}),
      },
    }).addAttributes(additional);
  }
}
