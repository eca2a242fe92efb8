import { resolve } from 'node:path';
import { NoticeIdSchema } from '../../../lambdas/domain/notice';
import type { Manifest } from '../../../lambdas/domain/submission';
import { parseCommandArgs, parseDuration, parseIntegerFlag, required, resolveApi, resolveToken } from '../../args';
import { UsageError } from '../../errors';
import type { Io } from '../../io';

/** Test hook: stop as if interrupted after this many parts (see cli/README.md). Never set it in real use. */
export const TEST_FAIL_AFTER_PARTS_ENV = 'NOTICE_PORTAL_TEST_FAIL_AFTER_PARTS';

/** What `submit` was asked to do, every flag checked. */
export interface SubmitOptions {
  noticeId: string;
  /** The response folder, absolute. */
  dir: string;
  answersPath: string;
  keyPath: string;
  signer: Manifest['signer'];
  api: string;
  token: string;
  timeoutMs: number;
  parallel: number;
  failAfterParts: number | undefined;
  receiptOut: string | undefined;
  restart: boolean;
  /** A response of answers only: the folder holds no response files (it still keeps the state and the receipt). */
  noFiles: boolean;
  json: boolean;
  quiet: boolean;
}

/** The options from the command line and environment, or `'help'` when help was asked for (before any check). */
export function parseSubmitOptions(argv: string[], io: Io): SubmitOptions | 'help' {
  const { values } = parseCommandArgs('submit', argv, {
    notice: { type: 'string' },
    dir: { type: 'string' },
    answers: { type: 'string' },
    key: { type: 'string' },
    'signer-name': { type: 'string' },
    'signer-title': { type: 'string' },
    'signer-email': { type: 'string' },
    api: { type: 'string' },
    token: { type: 'string' },
    timeout: { type: 'string', default: '10m' },
    'receipt-out': { type: 'string' },
    parallel: { type: 'string', default: '4' },
    restart: { type: 'boolean', default: false },
    'no-files': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  });
  if (values.help) return 'help';
  const cmd = 'submit';
  const noticeId = required(cmd, values.notice, '--notice');
  if (!NoticeIdSchema.safeParse(noticeId).success) {
    throw new UsageError(`--notice "${noticeId}" is not a notice id (ntc_ followed by 26 characters).`, cmd);
  }
  const dir = resolve(required(cmd, values.dir, '--dir'));
  const answersPath = required(cmd, values.answers, '--answers');
  const keyPath = required(cmd, values.key, '--key');
  const signer = signerFrom(values['signer-name'], values['signer-title'], values['signer-email']);
  const api = resolveApi(cmd, values.api, io);
  const token = resolveToken(cmd, values.token, io);
  const timeoutMs = parseDuration(cmd, '--timeout', values.timeout);
  const parallel = parseIntegerFlag(cmd, '--parallel', values.parallel, 1, 16);
  const hook = io.env[TEST_FAIL_AFTER_PARTS_ENV];
  const failAfterParts = hook ? parseIntegerFlag(cmd, TEST_FAIL_AFTER_PARTS_ENV, hook, 1, 10_000) : undefined;
  return {
    noticeId,
    dir,
    answersPath,
    keyPath,
    signer,
    api,
    token,
    timeoutMs,
    parallel,
    failAfterParts,
    receiptOut: values['receipt-out'],
    restart: values.restart,
    noFiles: values['no-files'],
    json: values.json,
    quiet: values.quiet,
  };
}

function signerFrom(
  name: string | undefined,
  title: string | undefined,
  email: string | undefined,
): Manifest['signer'] {
  const n = required('submit', name, '--signer-name').trim();
  if (n.length > 200) throw new UsageError('--signer-name must be at most 200 characters.', 'submit');
  if (title !== undefined && title.length > 200)
    throw new UsageError('--signer-title must be at most 200 characters.', 'submit');
  if (email !== undefined && (email.length > 320 || !email.includes('@'))) {
    throw new UsageError('--signer-email must be an e-mail address.', 'submit');
  }
  return { name: n, ...(title ? { title } : {}), ...(email ? { email } : {}) };
}
