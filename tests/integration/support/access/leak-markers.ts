import type { Fixtures } from './fixtures';
import { LEGAL_NAME, OWNERS, type Owner } from './owners';

export interface LeakMarker {
  value: string;
  what: string;
  /**
   * Who may see it: regulators always; a platform's users only their own platform's; `nobody`: no one, ever;
   * `{ platformOnly }`: that platform's users alone, not even regulators (its response being prepared).
   */
  visibleTo: 'regulators' | Owner | 'nobody' | { platformOnly: Owner };
}

/** Values each caller may see only if entitled to: checked in every response body of the matrix. */
export function leakMarkers(f: Fixtures): LeakMarker[] {
  const markers: LeakMarker[] = [];
  for (const owner of OWNERS) {
    const p = f.platforms[owner];
    const add = (value: string, what: string, visibleTo: LeakMarker['visibleTo'] = owner) =>
      markers.push({ value, what: `${owner}'s ${what}`, visibleTo });
    add(owner, 'platform id');
    add(LEGAL_NAME[owner], 'legal name');
    // In every issued title, file name and extension reason of this platform.
    add(p.canary, 'notice title / file name / reason canary');
    add(p.issuedNoticeId, 'issued notice id');
    add(p.infringementNoticeId, 'infringement notice id');
    add(p.submissionId, 'submission id');
    add(p.multipartSubmissionId, 'multipart submission id');
    add(p.key.kid, 'signing key id');
    add(p.key.jwk.x as string, 'signing key');
    markers.push({
      value: p.responseDraftCanary,
      what: `${owner}'s response draft canary`,
      visibleTo: { platformOnly: owner },
    });
    // Drafts have not been given to anyone: only regulators see them.
    add(p.draftCanary, 'draft title canary', 'regulators');
    add(p.draftNoticeId, 'draft notice id', 'regulators');
    add(p.throwawayUser.email, 'invited user e-mail', 'regulators');
    add(p.throwawayUser.subject, 'invited user subject', 'regulators');
  }
  markers.push({ value: f.throwawayPlatforms.marker, what: 'throw-away platform names', visibleTo: 'regulators' });
  for (const client of [...Object.values(f.clients), f.revokedClient]) {
    markers.push({ value: client.clientId, what: `${client.owner}'s API client id`, visibleTo: client.owner });
    // Shown once, to the admin who created the client; never again, to anyone.
    markers.push({ value: client.clientSecret, what: `${client.owner}'s API client secret`, visibleTo: 'nobody' });
  }
  for (const key of f.privateKeys) markers.push({ value: key.d, what: key.what, visibleTo: 'nobody' });
  // Stored secrets are never shown, even hashed.
  markers.push({ value: '"secretHash"', what: 'an API client secret hash', visibleTo: 'nobody' });
  markers.push({ value: '"passwordHash"', what: 'a password hash', visibleTo: 'nobody' });
  for (const user of f.disabled) {
    markers.push({ value: user.email, what: `${user.label}'s e-mail`, visibleTo: 'regulators' });
    markers.push({ value: user.subject, what: `${user.label}'s subject`, visibleTo: 'regulators' });
  }
  return markers;
}
