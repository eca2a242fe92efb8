import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { FileInput } from '@ag.ds-next/react/file-input';
import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { Textarea } from '@ag.ds-next/react/textarea';
import { type ChangeEvent, useState } from 'react';
import type { Manifest } from '../../../../lambdas/domain/submission';
import type { SigningKey } from '../../api/types';
import { manifestBytes } from '../../signing/manifest';
import { checkAgainstRegisteredKeys } from '../../signing/registered-key-check';
import { downloadText } from '../download-file';

export const SIGNATURE_FIELD_ID = 'external-signature';

/**
 * Signing outside the browser, for a key that must stay on one machine: download the manifest with its signedAt
 * fixed (kept in this browser, so the signature made for it still matches when it comes back), sign it with
 * `notice-portal sign-manifest`, then paste or upload the signature. It is checked here against that exact
 * manifest and the platform's registered keys before it is handed to the file step.
 */
export function SignExternal({
  fixed,
  currentMatchesFixed,
  onDownload,
  onAttach,
  registered,
  disabled,
}: {
  /** The manifest downloaded for signing, if any (its signedAt is fixed). */
  fixed: Manifest | undefined;
  /** Whether the response is still what the downloaded manifest says (answers, files, signer unchanged). */
  currentMatchesFixed: boolean;
  onDownload: () => Promise<Manifest>;
  onAttach: (manifest: Manifest, signature: string) => Promise<void>;
  registered: readonly SigningKey[] | undefined;
  disabled: boolean;
}) {
  const [signature, setSignature] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const fileName = fixed ? `manifest-${fixed.submissionId}.json` : 'manifest.json';

  const download = async () => {
    const manifest = await onDownload();
    downloadText(`manifest-${manifest.submissionId}.json`, manifestBytes(manifest));
  };
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) setSignature((await file.text()).trim());
  };
  const attach = async () => {
    setProblem(undefined);
    const jws = signatureFrom(signature);
    if (!fixed) return setProblem('Download the manifest to sign first.');
    if (!jws) return setProblem('Paste the signature, or choose the signature file.');
    if (!registered) return setProblem("Your platform's registered keys could not be read; try again.");
    setBusy(true);
    try {
      const result = await checkAgainstRegisteredKeys(fixed, jws, registered);
      if (!result.ok) return setProblem(result.problem);
      await onAttach(fixed, jws);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap={1.5} as="section" aria-labelledby="external-signature-heading">
      <H2 id="external-signature-heading">Or sign with the CLI</H2>
      <Text as="p">
        Download the manifest, sign it on the computer that holds your key, then attach the signature here. The
        manifest's signing time is fixed when you download it.
      </Text>
      <ButtonGroup>
        <Button variant="secondary" onClick={() => void download()} disabled={disabled}>
          Download the manifest to sign
        </Button>
      </ButtonGroup>
      {fixed && (
        <Stack gap={1}>
          <Text as="p" data-testid="fixed-manifest">
            Manifest downloaded with signedAt {fixed.signedAt}. Sign it with:
          </Text>
          <pre css={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, fontSize: '0.875rem' }}>
            npx notice-portal sign-manifest --manifest {fileName} --key key.jwk --out{' '}
            {fileName.replace(/\.json$/, '.jws')}
          </pre>
          {!currentMatchesFixed && (
            <Text as="p" role="alert" color="error">
              The response has changed since this manifest was downloaded. Download the manifest again and sign the new
              one.
            </Text>
          )}
          <Textarea
            id={SIGNATURE_FIELD_ID}
            label="Signature made with the CLI"
            hint='The detached JWS printed by "notice-portal sign-manifest": "<header>..<signature>".'
            value={signature}
            onChange={(event) => setSignature(event.target.value)}
            rows={4}
            block
            invalid={problem !== undefined}
            message={problem}
            required
          />
          <FileInput
            hideOptionalLabel
            id="external-signature-file"
            label="Or choose the signature file"
            accept=".jws,.txt,.json"
            onChange={(event) => void onFile(event)}
          />
          <ButtonGroup>
            <Button
              onClick={() => void attach()}
              loading={busy}
              loadingLabel="Checking the signature"
              disabled={!currentMatchesFixed}
            >
              Check and attach the signature
            </Button>
          </ButtonGroup>
        </Stack>
      )}
    </Stack>
  );
}

/** The bare JWS, also from the `--json` output of sign-manifest (`{"kid","alg","signature"}`). */
function signatureFrom(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const parsed = JSON.parse(trimmed) as { signature?: unknown };
    return typeof parsed.signature === 'string' ? parsed.signature.trim() : trimmed;
  } catch {
    return trimmed;
  }
}
