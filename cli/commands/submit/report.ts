import { formatBytes } from '../../folder';
import type { Io } from '../../io';
import type { TransferStats } from '../../uploader';

/** What `submit` prints once a response is filed: a short summary, or the same as JSON. */
export function report(
  io: Io,
  json: boolean,
  result: {
    number: string;
    filedAt: string;
    onTime: boolean;
    path: string;
    noticeId: string;
    submissionId: string;
    dueAt?: string;
    already?: boolean;
    transfer?: TransferStats;
  },
): void {
  if (json) {
    io.out(
      `${JSON.stringify({
        receiptNumber: result.number,
        filedAt: result.filedAt,
        onTime: result.onTime,
        dueAt: result.dueAt,
        receiptFile: result.path,
        noticeId: result.noticeId,
        submissionId: result.submissionId,
        alreadyFiled: result.already ?? false,
        transfer: result.transfer,
      })}\n`,
    );
    return;
  }
  const t = result.transfer;
  io.out(
    [
      `Filed: receipt ${result.number}`,
      `  filed at   ${result.filedAt}`,
      `  on time    ${result.onTime ? 'yes' : 'NO'}${result.dueAt ? ` (due ${result.dueAt})` : ''}`,
      `  receipt    ${result.path}`,
      ...(t
        ? [
            `  uploaded   ${t.filesUploaded} files, ${formatBytes(t.bytesUploaded)}${t.partsUploaded ? ` (${t.partsUploaded} multipart parts)` : ''}` +
              (t.filesAlreadyStored || t.partsAlreadyStored
                ? ` (already stored: ${t.filesAlreadyStored} files, ${t.partsAlreadyStored} parts)`
                : ''),
          ]
        : []),
      '',
    ].join('\n'),
  );
}
