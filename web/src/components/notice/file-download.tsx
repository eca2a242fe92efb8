import { Button } from '@ag.ds-next/react/button';
import { Text } from '@ag.ds-next/react/text';
import { useState } from 'react';
import { useApi } from '../../api/api-context';
import { describeError, unwrap } from '../../api/api-error';

/**
 * Downloads one submitted file: asks the API for a short-lived URL (pinned to the version that was hashed) and
 * sends the browser there; the storage answers with the file as an attachment, so the page stays.
 */
export function FileDownload({
  noticeId,
  submissionId,
  fileIndex,
  fileName,
}: {
  noticeId: string;
  submissionId: string;
  fileIndex: number;
  fileName: string;
}) {
  const api = useApi();
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const download = async () => {
    setState({ busy: true });
    try {
      const { url } = await unwrap(
        api.GET('/notices/{noticeId}/submissions/{submissionId}/files/{fileIndex}/download', {
          params: { path: { noticeId, submissionId, fileIndex } },
        }),
      );
      window.location.assign(url);
      setState({ busy: false });
    } catch (error) {
      setState({ busy: false, error: describeError(error) });
    }
  };
  return (
    <div>
      <Button
        size="sm"
        variant="secondary"
        onClick={() => void download()}
        loading={state.busy}
        loadingLabel="Preparing the download"
        aria-label={`Download ${fileName}`}
      >
        Download
      </Button>
      <div role="status" aria-live="polite">
        {state.error && (
          <Text color="error" fontSize="sm">
            {fileName} could not be downloaded: {state.error}
          </Text>
        )}
      </div>
    </div>
  );
}
