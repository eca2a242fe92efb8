import type { Schemas } from '../../api/types';

export type Manifest = Schemas['Manifest'];

/** What the sign step leaves for the file step (plan-web2.md): the manifest exactly as signed and its JWS. */
export interface SignedResponse {
  manifest: Manifest;
  signature: string;
}

const key = (noticeId: string, submissionId: string) => `signed-response:${noticeId}:${submissionId}`;

export function readSignedResponse(noticeId: string, submissionId: string): SignedResponse | undefined {
  const raw = window.sessionStorage.getItem(key(noticeId, submissionId));
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as SignedResponse;
    return value && typeof value.signature === 'string' && value.manifest ? value : undefined;
  } catch {
    return undefined;
  }
}

export function forgetSignedResponse(noticeId: string, submissionId: string): void {
  window.sessionStorage.removeItem(key(noticeId, submissionId));
}
