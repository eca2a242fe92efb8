import type { Manifest } from '../../../lambdas/domain/submission';
import { inStore, RESPONSES_STORE } from './indexed-db';

/**
 * Hand-over from the sign step to the file step: `{manifest, signature}` under
 * `signed-response:<noticeId>:<submissionId>` in sessionStorage (this tab) and IndexedDB (a closed tab, a
 * reload after the session expired). Also the manifest fixed for signing outside the browser, whose signedAt must
 * stay what the downloaded file said, under `manifest-to-sign:<noticeId>:<submissionId>`.
 */
export interface SignedResponse {
  manifest: Manifest;
  signature: string;
}

export const signedResponseKey = (noticeId: string, submissionId: string) =>
  `signed-response:${noticeId}:${submissionId}`;
export const manifestToSignKey = (noticeId: string, submissionId: string) =>
  `manifest-to-sign:${noticeId}:${submissionId}`;

/** This tab's sessionStorage (typed here: the unit tests type-check this module without the DOM library). */
const tab = () =>
  (
    globalThis as unknown as {
      sessionStorage: {
        getItem(k: string): string | null;
        setItem(k: string, v: string): void;
        removeItem(k: string): void;
      };
    }
  ).sessionStorage;

async function put(id: string, value: unknown): Promise<void> {
  try {
    tab().setItem(id, JSON.stringify(value));
  } catch {
    // Storage full or disabled: IndexedDB below still keeps it.
  }
  await inStore(RESPONSES_STORE, 'readwrite', (store) => store.put({ id, value }));
}

async function get<T>(id: string): Promise<T | undefined> {
  const held = tab().getItem(id);
  if (held) {
    try {
      return JSON.parse(held) as T;
    } catch {
      tab().removeItem(id);
    }
  }
  const row = await inStore<{ id: string; value: T } | undefined>(RESPONSES_STORE, 'readonly', (store) =>
    store.get(id),
  );
  return row?.value;
}

async function remove(id: string): Promise<void> {
  tab().removeItem(id);
  await inStore(RESPONSES_STORE, 'readwrite', (store) => store.delete(id));
}

export function saveSignedResponse(noticeId: string, submissionId: string, signed: SignedResponse): Promise<void> {
  return put(signedResponseKey(noticeId, submissionId), { manifest: signed.manifest, signature: signed.signature });
}

export function readSignedResponse(noticeId: string, submissionId: string): Promise<SignedResponse | undefined> {
  return get<SignedResponse>(signedResponseKey(noticeId, submissionId));
}

export function clearSignedResponse(noticeId: string, submissionId: string): Promise<void> {
  return remove(signedResponseKey(noticeId, submissionId));
}

export function saveManifestToSign(noticeId: string, submissionId: string, manifest: Manifest): Promise<void> {
  return put(manifestToSignKey(noticeId, submissionId), manifest);
}

export function readManifestToSign(noticeId: string, submissionId: string): Promise<Manifest | undefined> {
  return get<Manifest>(manifestToSignKey(noticeId, submissionId));
}

export function clearManifestToSign(noticeId: string, submissionId: string): Promise<void> {
  return remove(manifestToSignKey(noticeId, submissionId));
}
