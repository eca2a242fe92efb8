import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { Global } from '@emotion/react';
import { createRoute } from '@tanstack/react-router';
import { formatBytesExact as formatBytes } from '../../../lambdas/domain/byte-size';
import type { Notice, Submission } from '../api/types';
import { ConfirmationPanel } from '../components/confirmation-panel';
import { downloadText } from '../components/download-file';
import { useNotice, useSubmission } from '../components/notice/notice-queries';
import { SummaryRow } from '../components/notice/summary-row';
import { formatInZone, userTimeZone } from '../components/notice-format';
import { noticeHref } from '../components/notice-links';
import { ErrorState, PageLoading } from '../components/page-states';
import { decodeReceiptClaims, dueBasisInWords, receiptFileName } from '../components/receipt/receipt-claims';
import { rootRoute } from './root';

export const receiptRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/$noticeId/receipt/$submissionId',
  component: ReceiptPage,
});

/** Printed, the receipt is the page's content alone: no navigation, header, footer or buttons. */
const PRINT_STYLES = {
  '@media print': {
    'header, nav, footer, aside, [data-print="hide"]': { display: 'none !important' },
    body: { background: '#ffffff' },
    main: { margin: 0, padding: 0 },
  },
};

function ReceiptPage() {
  const { noticeId, submissionId } = receiptRoute.useParams();
  const notice = useNotice(noticeId);
  const submission = useSubmission(noticeId, submissionId);
  const failed = [notice, submission].find((q) => q.isError);
  if (failed) {
    return (
      <PageContent>
        <Stack gap={2}>
          <H1>Receipt</H1>
          <ErrorState
            title="The receipt could not be loaded"
            error={failed.error}
            retry={() => void failed.refetch()}
          />
        </Stack>
      </PageContent>
    );
  }
  if (!notice.data || !submission.data) return <PageLoading label="Loading the receipt" />;
  return <Receipt notice={notice.data} submission={submission.data} />;
}

/**
 * GOV.UK confirmation page and printable receipt: the receipt number, when it was filed (on the notice's clocks
 * and the reader's), on time or late against the due time the receipt itself names and why, each file's hash,
 * and the signed receipt to download or print.
 */
function Receipt({ notice, submission }: { notice: Notice; submission: Submission }) {
  const receipt = submission.receipt;
  if (!receipt) {
    return (
      <PageContent>
        <Stack gap={2}>
          <H1>This response has not been filed yet</H1>
          <Text as="p">
            Submission {submission.submissionId} is {submission.status}.{' '}
            <TextLink href={`${noticeHref(notice.id)}/respond`}>Go to the response</TextLink>
          </Text>
        </Stack>
      </PageContent>
    );
  }
  const claims = decodeReceiptClaims(receipt.jws);
  const zone = notice.timeZone;
  const mine = userTimeZone();
  const both = (iso: string) =>
    `${formatInZone(iso, zone)}${mine === zone ? '' : `\nYour time: ${formatInZone(iso, mine)}`}`;
  const dueAt = claims?.dueAt;
  const files =
    claims?.files ??
    submission.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 ?? f.declaredSha256 }));
  return (
    <PageContent>
      <Global styles={PRINT_STYLES} />
      <Stack gap={2}>
        <ConfirmationPanel title="Response filed">
          Your receipt number
          <br />
          <strong>{receipt.number}</strong>
        </ConfirmationPanel>
        <Text as="p">
          The regulator has your signed response to <strong>{notice.title}</strong> ({notice.id}). Keep this receipt: it
          is signed by the regulator and can be verified by anyone, offline.
        </Text>
        <SummaryList>
          <SummaryRow term="Receipt number">{receipt.number}</SummaryRow>
          <SummaryRow term="Filed at">{both(receipt.filedAt)}</SummaryRow>
          <SummaryRow term="On time">
            {receipt.onTime ? 'Filed on time' : 'Filed late'}
            {dueAt ? ` — due ${formatInZone(dueAt, zone)}` : ' — no due time applied'}
          </SummaryRow>
          {dueAt && <SummaryRow term="Due time judged against">{both(dueAt)}</SummaryRow>}
          {claims?.dueBasis && (
            <SummaryRow term="What set that due time">{dueBasisInWords(claims.dueBasis) ?? ''}</SummaryRow>
          )}
          {claims && (
            <SummaryRow term="Signed by">{`${claims.signedBy.name}, ${formatInZone(claims.signedBy.signedAt, zone)} (key ${claims.signedBy.kid})`}</SummaryRow>
          )}
          {claims && <SummaryRow term="Manifest SHA-256">{claims.manifestSha256}</SummaryRow>}
          <SummaryRow term="Notice">{`${notice.title} (${notice.id})`}</SummaryRow>
          <SummaryRow term="Submission">{submission.submissionId}</SummaryRow>
        </SummaryList>
        <Stack gap={1} as="section" aria-labelledby="receipt-files-heading">
          <H2 id="receipt-files-heading">Files</H2>
          {files.length === 0 ? (
            <Text as="p">No files were filed.</Text>
          ) : (
            <ul aria-label="Files filed" css={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {files.map((f) => (
                <li key={`${f.name}:${f.sha256}`} css={{ marginBottom: '1rem' }}>
                  <SummaryList>
                    <SummaryRow term="File">{f.name}</SummaryRow>
                    <SummaryRow term="Size">{formatBytes(f.size)}</SummaryRow>
                    <SummaryRow term="SHA-256">
                      <code css={{ wordBreak: 'break-all' }}>{f.sha256}</code>
                    </SummaryRow>
                  </SummaryList>
                </li>
              ))}
            </ul>
          )}
        </Stack>
        <div data-print="hide">
          <Stack gap={1}>
            <ButtonGroup>
              <Button onClick={() => downloadText(receiptFileName(receipt.number), receipt.jws, 'application/jose')}>
                Download the receipt (.jws)
              </Button>
              <Button variant="secondary" onClick={() => window.print()}>
                Print this receipt
              </Button>
            </ButtonGroup>
            <Text as="p">
              <TextLink href="/verify-receipt">Verify a receipt</TextLink> ·{' '}
              <TextLink href={noticeHref(notice.id)}>Back to the notice</TextLink>
            </Text>
          </Stack>
        </div>
      </Stack>
    </PageContent>
  );
}
