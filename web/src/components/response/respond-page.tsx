import { PageContent } from '@ag.ds-next/react/content';
import { H1 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useApi } from '../../api/api-context';
import { unwrap } from '../../api/api-error';
import type { Notice, Submission } from '../../api/types';
import { noticeKeys, useNotice } from '../notice/notice-queries';
import { noticeHref } from '../notice-links';
import { ErrorState, PageLoading } from '../page-states';
import { respondHref } from '../platform/response-links';
import type { ResponseDraft } from './draft-types';
import { useResponseDraft } from './use-response-draft';

export interface RespondContext {
  notice: Notice;
  draft: ResponseDraft;
  /** The draft's submission (files), once one is open. */
  submission: Submission | undefined;
  /** The notice's question numbers, in its order. */
  questions: string[];
  refetchSubmission: () => void;
}

/** The draft's submission, polled while the portal is still hashing files or finalizing. */
export function useDraftSubmission(noticeId: string, submissionId: string | undefined, poll = false) {
  const api = useApi();
  return useQuery({
    queryKey: noticeKeys.submission(noticeId, submissionId ?? 'none'),
    queryFn: () =>
      unwrap(
        api.GET('/notices/{noticeId}/submissions/{submissionId}', {
          params: { path: { noticeId, submissionId: submissionId ?? '' } },
        }),
      ),
    enabled: submissionId !== undefined,
    refetchInterval: poll ? 2000 : false,
  });
}

/**
 * The frame of every response page: it loads the notice, the platform's shared draft and the draft's submission,
 * shows loading and failures in one way, and gives the page its heading and the way back to the task list.
 */
export function RespondPage({
  noticeId,
  title,
  back = 'tasks',
  waitForSubmission = true,
  children,
}: {
  noticeId: string;
  title: string;
  back?: 'tasks' | 'notice';
  /**
   * Load the draft's submission, showing "loading" until it is there and its failure as the page's. The files step
   * says no: it loads the submission itself, and its upload must not be unmounted when it names a new one in the
   * draft. Its context then has no submission.
   */
  waitForSubmission?: boolean;
  children: (context: RespondContext) => ReactNode;
}) {
  const notice = useNotice(noticeId);
  const draft = useResponseDraft(noticeId);
  // Not fetched at all for the files step: a copy cached there mid-upload would show the check page stale files.
  const submission = useDraftSubmission(noticeId, waitForSubmission ? draft.data?.submissionId : undefined);
  const watched = waitForSubmission ? [notice, draft, submission] : [notice, draft];
  // Once loaded, a failed background refetch keeps the page (and whatever it is doing) rather than replacing it.
  const failed = watched.find((q) => q.isError && (waitForSubmission || q.data === undefined));
  const frame = (body: ReactNode, context?: Notice) => (
    <PageContent>
      <Stack gap={2}>
        <Stack gap={0.5}>
          {back === 'tasks' ? (
            <TextLink href={respondHref(noticeId)}>Back to the task list</TextLink>
          ) : (
            <TextLink href={noticeHref(noticeId)}>Back to the notice</TextLink>
          )}
          {context && (
            <Text color="muted" fontSize="sm">
              {context.title} · {context.id}
            </Text>
          )}
          <H1>{title}</H1>
        </Stack>
        {body}
      </Stack>
    </PageContent>
  );
  if (failed) {
    return frame(
      <ErrorState
        title="Your response could not be loaded"
        error={failed.error}
        retry={() => {
          for (const q of watched) if (q.isError) void q.refetch();
        }}
      />,
    );
  }
  if (!notice.data || !draft.data || (waitForSubmission && draft.data.submissionId && !submission.data)) {
    return <PageLoading label="Loading your response" />;
  }
  const questions = (notice.data.requirements.questions ?? []).map((q) => q.number);
  return frame(
    children({
      notice: notice.data,
      draft: draft.data,
      submission: submission.data,
      questions,
      refetchSubmission: () => void submission.refetch(),
    }),
    notice.data,
  );
}
