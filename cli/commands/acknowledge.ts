import { randomUUID } from 'node:crypto';
import { CompactSign } from 'jose';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { acknowledgementPayload } from '../../lambdas/domain/notice-verification';
import { SIGNATURE_TYPES } from '../../lambdas/domain/signature-types';
import { API_OPTIONS, ENV_API, ENV_TOKEN, parseCommandArgs, resolveApi, resolveToken } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import type { Io } from '../io';
import { PortalClient } from '../portal-client';
import { type LoadedSigningKey, loadSigningKey } from '../signing';

export const ACKNOWLEDGE_HELP = `Usage: notice-portal acknowledge NOTICE_ID [--sign --key KEY_FILE] [--api URL] [--json]

Acknowledges receipt of an issued notice. With --sign, the acknowledgement carries your platform's
countersignature over the regulator's signed notice ("we received exactly this notice"), made with a key
registered for your platform; the portal checks it and records it with the acknowledgement.

  --sign            countersign the signed notice
  --key KEY_FILE    the private key file written by "notice-portal keygen" (needed with --sign)
  --api URL         the portal (default: $${ENV_API})
  --token TOKEN     your access token (default: $${ENV_TOKEN})
  --json            print the acknowledged notice's id, status, acknowledgedAt and the key used as JSON

Exit status: 0 acknowledged, 1 refused or failed, 2 wrong usage.
`;

export async function acknowledgeCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'acknowledge',
    argv,
    {
      ...API_OPTIONS,
      token: { type: 'string' },
      sign: { type: 'boolean', default: false },
      key: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    true,
  );
  if (values.help) {
    io.out(ACKNOWLEDGE_HELP);
    return EXIT.ok;
  }
  const [noticeId, ...others] = positionals;
  if (noticeId === undefined || others.length > 0) throw new UsageError('Give exactly one notice id.', 'acknowledge');
  if (values.sign && !values.key) throw new UsageError('--sign needs --key KEY_FILE.', 'acknowledge');
  if (values.key && !values.sign) throw new UsageError('--key is used only with --sign.', 'acknowledge');
  // The key is read before anything is sent: a wrong key file is found without touching the portal.
  const key = values.sign ? await loadSigningKey(values.key as string) : undefined;
  const client = new PortalClient(
    resolveApi('acknowledge', values.api, io),
    resolveToken('acknowledge', values.token, io),
    io.signal,
  );
  let signature: string | undefined;
  if (key) {
    const notice = await client.getSignedNotice(noticeId);
    if (!notice.signedNotice) {
      throw new CliError(`Notice ${noticeId} has no signed notice to countersign; acknowledge it without --sign.`);
    }
    signature = await signAcknowledgement(
      { noticeId, platformId: notice.platformId, signedNotice: notice.signedNotice },
      key,
    );
  }
  const acknowledged = await client.acknowledge(noticeId, signature, randomUUID());
  const kid = acknowledged.acknowledgementSignature?.kid;
  if (values.json) {
    io.out(
      `${JSON.stringify({ id: acknowledged.id, status: acknowledged.status, acknowledgedAt: acknowledged.acknowledgedAt, kid })}\n`,
    );
  } else {
    io.out(
      `Notice ${acknowledged.id} acknowledged at ${acknowledged.acknowledgedAt}${kid ? `, countersigned with key ${kid}` : ''}.\n`,
    );
  }
  return EXIT.ok;
}

/** The countersignature: a compact JWS over the canonical acknowledgement payload, typ nrp-acknowledgement+jws. */
export async function signAcknowledgement(
  notice: { noticeId: string; platformId: string; signedNotice: string },
  key: LoadedSigningKey,
  acknowledgedAt = new Date().toISOString(),
): Promise<string> {
  const payload = await acknowledgementPayload({ ...notice, acknowledgedAt });
  return new CompactSign(new TextEncoder().encode(canonicalJson(payload)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: SIGNATURE_TYPES.acknowledgement.header })
    .sign(key.key);
}
