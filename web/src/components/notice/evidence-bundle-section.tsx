import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { ControlGroup } from '@ag.ds-next/react/control-group';
import { H2 } from '@ag.ds-next/react/heading';
import { Radio } from '@ag.ds-next/react/radio';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { describeError, unwrap } from '../../api/api-error';
import { useIdempotencyKey } from '../../api/idempotency-key';
import type { EvidenceBundle, Notice } from '../../api/types';
import { bundleProgressText, bundleSizeText } from './evidence-bundle-text';
import { noticeKeys } from './notice-queries';

type FileMode = EvidenceBundle['files'];

/** How often a bundle being built is polled: progress moves at about this pace. */
const POLL_MS = 1_000;

/**
 * "Download evidence bundle": a ZIP of the notice's whole record, for anyone who must check it without trusting the
 * portal (a court, lawyers, an auditor). The reader chooses whether the submitted files are included or only their
 * hashes, asks for it, follows its progress (announced politely, never stealing focus), and downloads it. Drafts
 * have no evidence, so the section is not shown for them.
 */
export function EvidenceBundleSection({ notice }: { notice: Notice }) {
  const api = useApi();
  const [files, setFiles] = useState<FileMode>('included');
  const [bundleId, setBundleId] = useState<string | undefined>();
  const [requesting, setRequesting] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const [downloading, setDownloading] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const idempotency = useIdempotencyKey();
  const bundle = useQuery({
    queryKey: [...noticeKeys.all(notice.id), 'evidence-bundle', bundleId],
    enabled: bundleId !== undefined,
    queryFn: () =>
      unwrap(
        api.GET('/notices/{noticeId}/evidence-bundles/{bundleId}', {
          params: { path: { noticeId: notice.id, bundleId: bundleId as string } },
        }),
      ),
    refetchInterval: (query) => (query.state.data?.status === 'building' ? POLL_MS : false),
  });
  if (notice.status === 'draft') return null;

  const request = async () => {
    setRequesting({ busy: true });
    try {
      const requested = await unwrap(
        api.POST('/notices/{noticeId}/evidence-bundles', {
          params: { path: { noticeId: notice.id } },
          body: { files },
          headers: { 'idempotency-key': idempotency.key },
        }),
      );
      idempotency.renew();
      setBundleId(requested.bundleId);
      setRequesting({ busy: false });
    } catch (error) {
      setRequesting({ busy: false, error: describeError(error) });
    }
  };

  // The URL is valid for minutes: fetch a fresh one at the moment of the click, as file downloads do.
  const download = async () => {
    setDownloading({ busy: true });
    try {
      const { data } = await bundle.refetch({ throwOnError: true });
      if (!data?.downloadUrl) throw new Error('The bundle has no download address yet.');
      window.location.assign(data.downloadUrl);
      setDownloading({ busy: false });
    } catch (error) {
      setDownloading({ busy: false, error: describeError(error) });
    }
  };

  const current = bundle.data;
  const building = requesting.busy || current?.status === 'building';
  return (
    <Stack gap={1} as="section" aria-labelledby="evidence-bundle-heading">
      <H2 id="evidence-bundle-heading">Download evidence bundle</H2>
      <Text as="p">
        A ZIP file with everything needed to check this notice's record offline: the notice, its history, every response
        with its signed manifest, signature and receipt, the keys, and the deadline rule and holidays used.
      </Text>
      <ControlGroup label="What to include" block required>
        <Radio
          name="evidence-bundle-files"
          value="included"
          checked={files === 'included'}
          onChange={() => setFiles('included')}
          disabled={building}
        >
          The submitted files and their hashes
        </Radio>
        <Radio
          name="evidence-bundle-files"
          value="hashes-only"
          checked={files === 'hashes-only'}
          onChange={() => setFiles('hashes-only')}
          disabled={building}
        >
          Only the files' hashes (a smaller bundle)
        </Radio>
      </ControlGroup>
      <ButtonGroup>
        <Button
          variant={current?.status === 'ready' ? 'secondary' : 'primary'}
          onClick={() => void request()}
          loading={building}
          loadingLabel="Building the evidence bundle"
        >
          {current ? 'Request a new evidence bundle' : 'Request evidence bundle'}
        </Button>
        {current?.status === 'ready' && (
          <Button onClick={() => void download()} loading={downloading.busy} loadingLabel="Preparing the download">
            Download evidence bundle (ZIP, {bundleSizeText(current.size ?? 0)})
          </Button>
        )}
      </ButtonGroup>
      <div role="status" aria-live="polite">
        <BundleStatus bundle={current} requestError={requesting.error ?? describeQueryError(bundle.error)} />
        {downloading.error && (
          <Text color="error">The evidence bundle could not be downloaded: {downloading.error}</Text>
        )}
      </div>
    </Stack>
  );
}

/** What the live region says: progress while building (entries, not every byte, so it is not chatty), then the outcome. */
function BundleStatus({ bundle, requestError }: { bundle: EvidenceBundle | undefined; requestError?: string }) {
  if (requestError) return <Text color="error">The evidence bundle could not be requested: {requestError}</Text>;
  if (!bundle) return null;
  if (bundle.status === 'building') {
    return <Text>{bundleProgressText(bundle.progress)}</Text>;
  }
  if (bundle.status === 'failed') {
    return <Text color="error">The evidence bundle could not be built. {bundle.error}</Text>;
  }
  return (
    <Text>
      The evidence bundle is ready: {bundleSizeText(bundle.size ?? 0)}, SHA-256{' '}
      <Text as="span" fontFamily="monospace" breakWords>
        {bundle.sha256}
      </Text>
      .
    </Text>
  );
}

function describeQueryError(error: unknown): string | undefined {
  return error ? describeError(error) : undefined;
}
