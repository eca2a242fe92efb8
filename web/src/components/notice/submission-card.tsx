import { Details } from '@ag.ds-next/react/details';
import { H3, H4 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { formatBytesExact } from '../../../../lambdas/domain/byte-size';
import type { Notice, Submission } from '../../api/types';
import { formatInZone } from '../notice-format';
import { ErrorState, LoadingState } from '../page-states';
import { describeActor } from './event-description';
import { FileDownload } from './file-download';
import { useSubmission } from './notice-queries';
import { SummaryRow } from './summary-row';

/** One filed (or still open) response: its receipt, who signed it with which key, and each file with its hash. */
export function SubmissionCard({ notice, submissionId }: { notice: Notice; submissionId: string }) {
  const query = useSubmission(notice.id, submissionId);
  if (query.isPending) return <LoadingState label={`Loading submission ${submissionId}`} />;
  if (query.isError)
    return (
      <ErrorState
        title={`Submission ${submissionId} could not be loaded`}
        error={query.error}
        retry={() => void query.refetch()}
      />
    );
  return <SubmissionDetails notice={notice} submission={query.data} />;
}

function SubmissionDetails({ notice, submission }: { notice: Notice; submission: Submission }) {
  const at = (iso: string) => formatInZone(iso, notice.timeZone);
  const { receipt, finalize } = submission;
  const manifest = finalize?.manifest;
  return (
    <Stack gap={1} as="article" aria-label={`Submission ${submission.submissionId}`}>
      <H3>
        {receipt ? `Response filed ${at(receipt.filedAt)}` : `Response opened ${at(submission.openedAt)}`}{' '}
        {receipt && (
          <StatusBadge
            appearance="subtle"
            tone={receipt.onTime ? 'successLow' : 'errorMedium'}
            label={receipt.onTime ? 'On time' : 'Late'}
          />
        )}
      </H3>
      <SummaryList>
        {receipt && <SummaryRow term="Receipt number">{receipt.number}</SummaryRow>}
        <SummaryRow term="Submission">{`${submission.submissionId} (${submission.status})`}</SummaryRow>
        <SummaryRow term="Opened by">{describeActor(submission.openedBy)}</SummaryRow>
        {manifest && (
          <SummaryRow term="Signed by">
            {[manifest.signer.name, manifest.signer.title, manifest.signer.email].filter(Boolean).join(', ')}
          </SummaryRow>
        )}
        {manifest && <SummaryRow term="Signed at">{at(manifest.signedAt)}</SummaryRow>}
        {finalize && <SummaryRow term="Signing key">{finalize.kid}</SummaryRow>}
        {finalize && <SummaryRow term="Manifest SHA-256">{finalize.manifestSha256}</SummaryRow>}
      </SummaryList>
      <H4>Files</H4>
      {submission.files.length === 0 ? (
        <Text>No files.</Text>
      ) : (
        <ul aria-label="Files" css={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {submission.files.map((file) => {
            const verified = file.sha256 !== undefined && file.sha256 === file.declaredSha256;
            return (
              <li key={file.index} css={{ marginBottom: '1rem' }}>
                <SummaryList>
                  <SummaryRow term="File">{file.name}</SummaryRow>
                  <SummaryRow term="Size">{formatBytesExact(file.size)}</SummaryRow>
                  <SummaryRow term="SHA-256">
                    {file.sha256 ?? file.declaredSha256}
                    {'\n'}
                    {file.sha256 === undefined
                      ? 'Declared by the platform; not yet verified by the portal.'
                      : verified
                        ? `Verified by the portal${file.hashedAt ? ` ${at(file.hashedAt)}` : ''}: the stored bytes match.`
                        : `Does not match the hash declared (${file.declaredSha256}).`}
                  </SummaryRow>
                </SummaryList>
                <FileDownload
                  noticeId={notice.id}
                  submissionId={submission.submissionId}
                  fileIndex={file.index}
                  fileName={file.name}
                />
              </li>
            );
          })}
        </ul>
      )}
      {manifest && manifest.answers.length > 0 && (
        <Details label={`Answers (${manifest.answers.length})`}>
          <SummaryList>
            {manifest.answers.map((answer) => (
              <SummaryRow key={answer.question} term={`Question ${answer.question}`}>
                {answer.answer ?? `Cannot answer: ${answer.cannotAnswer?.reason ?? ''}`}
              </SummaryRow>
            ))}
          </SummaryList>
        </Details>
      )}
      {submission.lastError && (
        <Text color="error" fontSize="sm">
          Last problem ({at(submission.lastError.at)}):{' '}
          {submission.lastError.issues.map((i) => `${i.path} ${i.message}`).join('; ')}
        </Text>
      )}
    </Stack>
  );
}
