import type { Notice } from '../../../lambdas/domain/notice';
import { TRANSITIONS } from '../../../lambdas/domain/notice-lifecycle';
import { keyUnusableAt } from '../../../lambdas/domain/signing-keys';
import { completenessIssues, type Manifest } from '../../../lambdas/domain/submission';
import type { Answers } from '../../answers';
import { CliError } from '../../errors';
import { ApiError, type NoticeSummary, type PortalClient } from '../../portal-client';
import type { SigningClock } from '../../portal-clock';
import type { LoadedSigningKey } from '../../signing';

/** What the portal would refuse at filing, checked before any upload: the notice, the answers, the signing key. */

/** The notice, once it is known that a response may be filed to it (or is being resumed) and the answers fit it. */
export async function answerableNotice(
  client: PortalClient,
  noticeId: string,
  answers: Answers,
  answersPath: string,
  resuming: boolean,
): Promise<NoticeSummary> {
  const notice = await getNotice(client, noticeId);
  if (!resuming && !TRANSITIONS.submit.from.includes(notice.status)) {
    throw new CliError(
      `Notice ${noticeId} is ${notice.status}; a response can be filed only while it is ${TRANSITIONS.submit.from.join(', ')}.`,
    );
  }
  const unanswered = completenessIssues({ answers } as Manifest, notice as unknown as Notice);
  if (unanswered.length > 0) {
    throw new CliError(
      `The answers in ${answersPath} do not fit notice ${noticeId}:`,
      undefined,
      unanswered.map((i) => `${i.path.replace(/^manifest\./, '')}: ${i.message}`),
    );
  }
  return notice;
}

async function getNotice(client: PortalClient, noticeId: string): Promise<NoticeSummary> {
  try {
    return await client.getNotice(noticeId);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && !/No route/.test(error.message)) {
      throw new CliError(`Notice ${noticeId} was not found, or is not addressed to your platform.`);
    }
    throw error;
  }
}

export /**
 * Refuses early, before any upload, when the key would be refused at filing: not registered for the platform,
 * or not usable now (not yet valid, expired, revoked). If the list cannot be read, the portal decides at filing.
 */
async function checkKeyIsRegistered(
  client: PortalClient,
  platformId: string,
  key: LoadedSigningKey,
  clock: SigningClock,
  note: (text: string) => void,
): Promise<void> {
  let items: Awaited<ReturnType<PortalClient['listSigningKeys']>>['items'];
  try {
    items = (await client.listSigningKeys(platformId)).items;
  } catch (error) {
    if (error instanceof ApiError && error.status !== 401) {
      note(
        `Could not check that key ${key.kid} is registered (${error.status}); the portal will check it when filing.`,
      );
      return;
    }
    throw error;
  }
  const registered = items.find((k) => k.kid === key.kid);
  if (!registered) {
    throw new CliError(
      `Your signing key ${key.kid} is not registered for ${platformId}, so the portal would refuse the signature.`,
      undefined,
      [`Ask the regulator to register this public key: {"jwk": ${JSON.stringify(key.publicJwk)}}`],
    );
  }
  const unusable = keyUnusableAt(registered, clock.now().toISOString());
  if (unusable) throw new CliError(`Your signing key cannot sign a response now: ${unusable}.`);
}
