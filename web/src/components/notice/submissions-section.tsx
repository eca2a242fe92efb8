import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import type { Notice } from '../../api/types';
import { useNoticeHistory } from './notice-queries';
import { SubmissionCard } from './submission-card';

/** The responses filed for this notice (each `submitted` event names one), newest first. */
export function SubmissionsSection({ notice }: { notice: Notice }) {
  const history = useNoticeHistory(notice.id);
  const ids = new Set<string>();
  for (const page of history.data?.pages ?? []) {
    for (const event of page.items) if (event.kind === 'submitted') ids.add(event.data.submissionId);
  }
  if (notice.response) ids.add(notice.response.submissionId);
  if (ids.size === 0) return null;
  return (
    <Stack gap={1.5} as="section" aria-labelledby="responses-heading">
      <H2 id="responses-heading">Responses</H2>
      {[...ids].reverse().map((id) => (
        <SubmissionCard key={id} notice={notice} submissionId={id} />
      ))}
    </Stack>
  );
}
