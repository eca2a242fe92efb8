import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NoticeIdSchema } from '../../lambdas/domain/notice';
import {
  NOTICE_CHECKS,
  type NoticeVerification,
  type RegulatorKeySet,
  RegulatorKeySetSchema,
  verifySignedNotice,
} from '../../lambdas/domain/notice-verification';
import { API_OPTIONS, ENV_API, ENV_TOKEN, parseCommandArgs, resolveApi, resolveToken } from '../args';
import { CliError, EXIT, fileProblem, networkReason, UsageError } from '../errors';
import type { Io } from '../io';
import { PortalClient } from '../portal-client';

export const VERIFY_NOTICE_HELP = `Usage: notice-portal verify-notice FILE|NOTICE_ID [--keys FILE|URL] [--api URL] [--json]

Checks that a notice was signed by the regulator as given, with a key that was the regulator's signing key when
it was signed, and shows what it states. FILE holds the signed notice (the .jws the web app downloads) or the
notice JSON (GET /notices/{id}, with its "signedNotice"); a notice id fetches the notice through the portal with
your access token.

  --keys FILE|URL   the regulator's published keys with their validity windows
                    (default: <api>/.well-known/regulator-keys.json; a file makes the check offline)
  --api URL         the portal (default: $${ENV_API}); needed for a notice id, or without --keys
  --token TOKEN     your access token, for a notice id (default: $${ENV_TOKEN})
  --json            print {"valid", "failed", "reason", "checks", "kid", "notice"} as JSON

Checks, in order: ${NOTICE_CHECKS.map((c) => c.id).join(', ')}.
Exit status: 0 valid, 1 not valid (the failed check and why are printed), 2 wrong usage.
`;

export async function verifyNoticeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'verify-notice',
    argv,
    { ...API_OPTIONS, keys: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean', default: false } },
    true,
  );
  if (values.help) {
    io.out(VERIFY_NOTICE_HELP);
    return EXIT.ok;
  }
  const [source, ...others] = positionals;
  if (source === undefined || others.length > 0) {
    throw new UsageError('Give exactly one signed notice file or notice id.', 'verify-notice');
  }
  const api = () => resolveApi('verify-notice', values.api, io);
  const jws = await readSignedNotice(
    source,
    () => new PortalClient(api(), resolveToken('verify-notice', values.token, io)),
  );
  const keys = await loadRegulatorKeys(values.keys ?? `${api()}/.well-known/regulator-keys.json`);
  const result = await verifySignedNotice(jws, keys);

  if (values.json) {
    io.out(
      `${JSON.stringify({
        valid: result.valid,
        failed: result.failed,
        reason: result.reason,
        details: result.details,
        checks: result.checks,
        kid: result.header?.kid,
        notice: result.notice,
      })}\n`,
    );
    return result.valid ? EXIT.ok : EXIT.failed;
  }
  io.out(formatVerification(result));
  if (!result.valid) {
    throw new CliError(`check "${result.failed}" failed: ${result.reason}`, EXIT.failed, result.details ?? []);
  }
  return EXIT.ok;
}

/**
 * The signed notice from a file (the JWS itself, or notice JSON carrying `signedNotice`), or fetched by id. A
 * path that exists is always a file, so a file named like an id is still read as one.
 */
async function readSignedNotice(source: string, client: () => PortalClient): Promise<string> {
  if (!existsSync(source) && NoticeIdSchema.safeParse(source).success) {
    const notice = await client().getSignedNotice(source);
    if (!notice.signedNotice) {
      throw new CliError(
        `Notice ${source} has no signed notice (it was issued before notices were signed, or is a draft).`,
      );
    }
    return notice.signedNotice;
  }
  const path = resolve(source);
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw fileProblem('The signed notice', path, error);
  }
  if (!text.startsWith('{')) return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${path} starts like JSON but is not JSON; give the .jws file or the notice JSON.`);
  }
  const signed = (json as { signedNotice?: unknown }).signedNotice;
  if (typeof signed !== 'string') throw new CliError(`${path} is JSON with no "signedNotice" string.`);
  return signed;
}

/** The regulator's published keys (regulator-keys.json) from a URL or a file. */
export async function loadRegulatorKeys(source: string): Promise<RegulatorKeySet> {
  let json: unknown;
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { headers: { accept: 'application/json' } });
    } catch (error) {
      throw new CliError(`Cannot fetch the regulator's keys from ${source} (${networkReason(error)}).`);
    }
    if (!response.ok) throw new CliError(`Cannot fetch the regulator's keys from ${source}: HTTP ${response.status}.`);
    json = await response.json().catch(() => undefined);
  } else {
    let text: string;
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      throw fileProblem('The keys file', source, error);
    }
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError(`The keys file ${source} is not JSON.`);
    }
  }
  const parsed = RegulatorKeySetSchema.safeParse(json);
  if (!parsed.success) {
    throw new CliError(
      `${source} is not the regulator's published keys ({"keys": [{..., "kid", "validFrom", "validUntil"?}], "log"}).`,
      EXIT.failed,
      parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(keys)'}: ${i.message}`),
    );
  }
  return parsed.data as RegulatorKeySet;
}

/** The checks and, when valid, what the notice states. */
export function formatVerification(result: NoticeVerification): string {
  const mark = { passed: 'ok  ', failed: 'FAIL', 'not-run': '-   ' } as const;
  let text = result.valid
    ? `Signed notice ${result.notice?.noticeId}: signature valid (ES256, key ${result.header?.kid})\n`
    : 'Signed notice: NOT VALID\n';
  for (const check of result.checks) {
    text += `  ${mark[check.status]}  ${check.label}${check.status === 'passed' && check.detail ? ` (${check.detail})` : ''}\n`;
  }
  const n = result.notice;
  if (result.valid && n) {
    const row = (label: string, value: string) => `  ${label.padEnd(14)}${value}\n`;
    text += row('notice', n.noticeId);
    text += row('platform', n.platformId);
    text += row('type', n.type);
    text += row('title', n.title);
    text += row('legal basis', n.legalBasis);
    text += row('given at', n.givenAt);
    if (n.dueAt) text += row('due at', n.dueAt);
    for (const line of n.dueExplanation ?? []) text += row('', line);
    text += row('content', `event ${n.contentSeq}, hash ${n.contentHash}`);
    if (n.checkpoint) text += row('checkpoint', `${n.checkpoint.seq} (${n.checkpoint.hash})`);
    text += row('signed at', n.signedAt);
  }
  return text;
}
