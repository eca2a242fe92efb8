import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { createRoute } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import type { BatchItem } from '../components/notice-batch-store';
import { noticeHref } from '../components/notice-links';
import { NoticeSummary } from '../components/notice-summary';
import { ErrorState, LoadingState } from '../components/page-states';
import { noticeTypeLabel, platformName, useNoticeTypes, usePlatforms } from '../components/reference-data';
import { useNotice } from '../components/use-notice';
import { useNoticeBatch } from '../components/use-notice-batch';
import { rootRoute } from './root';

export const noticeBatchRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/batch/$batchId',
  component: NoticeBatchPage,
});

/**
 * The same notice to several platforms: saves the remaining drafts, shows them for checking, issues each, and
 * then lists every platform's notice with its outcome. Progress is announced ("2 of 3 issued").
 */
function NoticeBatchPage() {
  const { batchId } = noticeBatchRoute.useParams();
  const types = useNoticeTypes();
  const platforms = usePlatforms();
  const { batch, running, saveDrafts, issueAll } = useNoticeBatch(batchId, types.data);
  const started = useRef(false);
  useEffect(() => {
    if (started.current || !batch || !types.data) return;
    started.current = true;
    if (batch.items.some((i) => !i.noticeId)) void saveDrafts();
  }, [batch, types.data, saveDrafts]);

  if (!batch) {
    return (
      <PageContent>
        <Stack gap={2}>
          <H1>Notices to several platforms</H1>
          <ErrorState
            title="These notices are not in this browser tab"
            error={
              new Error(
                'The list of platforms is kept in the tab that started it. Find the drafts in the notices table.',
              )
            }
          />
          <TextLink href="/notices?status=draft">Drafts in the notices table</TextLink>
        </Stack>
      </PageContent>
    );
  }
  const names = (id: string) => platformName(platforms.data, id);
  const total = batch.items.length;
  const saved = batch.items.filter((i) => i.noticeId).length;
  const issued = batch.items.filter((i) => i.issued).length;
  const attempted = batch.items.some((i) => i.issued || (i.noticeId && i.error));
  const done = attempted && !running;
  const first = batch.items.find((i) => i.noticeId)?.noticeId;
  const progress =
    running === 'drafts'
      ? `${saved} of ${total} drafts saved`
      : running === 'issue'
        ? `${issued} of ${total} issued`
        : done
          ? `${issued} of ${total} notices issued`
          : `${saved} of ${total} drafts saved`;

  return (
    <PageContent>
      <Stack gap={3}>
        <H1>{done ? `${issued} of ${total} notices issued` : 'Check the notices before issuing them'}</H1>
        <div role="status" aria-live="polite" aria-atomic="true" data-testid="batch-progress">
          <Text fontWeight="bold">{progress}</Text>
        </div>
        {done && issued < total && (
          <PageAlert tone="warning" title="Some notices were not issued">
            <Text as="p">
              Each notice not issued is still a draft, and nothing was given to its platform. Trying again is safe: a
              notice already issued is not issued twice.
            </Text>
          </PageAlert>
        )}
        <BatchItems items={batch.items} names={names} />
        <ButtonGroup>
          {saved < total && !running && (
            <Button variant="secondary" onClick={() => void saveDrafts()}>
              Try again to save the {total - saved} drafts not saved
            </Button>
          )}
          {saved > issued && (
            <Button onClick={() => void issueAll()} loading={running === 'issue'} loadingLabel="Issuing">
              {attempted ? `Try again for the ${saved - issued} not issued` : `Issue ${saved} notices`}
            </Button>
          )}
        </ButtonGroup>
        {first && !done && (
          <FirstDraftSummary noticeId={first} platforms={batch.items.map((i) => names(i.platformId))} />
        )}
      </Stack>
    </PageContent>
  );
}

function BatchItems({ items, names }: { items: BatchItem[]; names: (id: string) => string }) {
  return (
    <section aria-labelledby="batch-platforms">
      <Stack gap={1}>
        <H2 id="batch-platforms">Platforms</H2>
        <ul css={{ margin: 0, paddingLeft: 0, listStyle: 'none', display: 'grid', gap: '0.75rem' }}>
          {items.map((item) => (
            <li key={item.platformId}>
              <Stack gap={0.25}>
                <Text fontWeight="bold">{names(item.platformId)}</Text>
                <div>
                  <StatusBadge
                    tone={item.issued ? 'success' : item.error ? 'error' : 'neutral'}
                    label={item.issued ? 'Issued' : item.noticeId ? 'Draft, not issued' : 'Draft not saved'}
                  />
                </div>
                {item.noticeId && <TextLink href={noticeHref(item.noticeId)}>Notice {item.noticeId}</TextLink>}
                {item.error && <Text color="error">{item.error}</Text>}
              </Stack>
            </li>
          ))}
        </ul>
      </Stack>
    </section>
  );
}

/** The notice's content once (every draft in the batch has the same), from the first saved draft. */
function FirstDraftSummary({ noticeId, platforms }: { noticeId: string; platforms: string[] }) {
  const notice = useNotice(noticeId);
  const types = useNoticeTypes();
  if (notice.isPending) return <LoadingState label="Loading the draft" />;
  if (notice.isError)
    return (
      <ErrorState title="The draft could not be loaded" error={notice.error} retry={() => void notice.refetch()} />
    );
  return (
    <section aria-labelledby="batch-content">
      <Stack gap={1}>
        <H2 id="batch-content">What each notice says</H2>
        <NoticeSummary
          notice={notice.data}
          typeLabel={noticeTypeLabel(types.data, notice.data.type)}
          platforms={platforms.join(', ')}
          changeHref={(section) => `/notices/new#section-${section}`}
        />
      </Stack>
    </section>
  );
}
