import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { createRoute } from '@tanstack/react-router';
import { FilesStep } from '../components/response/files-step';
import { RespondPage } from '../components/response/respond-page';
import { rootRoute } from './root';

export const respondFilesRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/respond/files',
  component: RespondFilesPage,
});

/**
 * Task 2 of preparing a response: the files, hashed on this device and uploaded straight to storage. In the same
 * frame as the other steps (back link, "title · id", heading).
 */
function RespondFilesPage() {
  const { noticeId } = respondFilesRoute.useParams();
  return (
    <RespondPage noticeId={noticeId} title="Add and upload files" waitForSubmission={false}>
      {() => (
        <Stack gap={3} css={{ maxWidth: '48rem' }}>
          <Text as="p">
            Each file goes straight to the portal's storage. A large file is sent in parts: if the connection drops or
            this page is closed, come back and choose the same files again — only what is missing is sent. Your session
            is kept alive while files upload.
          </Text>
          <FilesStep noticeId={noticeId} />
        </Stack>
      )}
    </RespondPage>
  );
}
