import { Button } from '@ag.ds-next/react/button';
import { H2, H3 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { useState } from 'react';
import type { Notice, NoticeEvent } from '../../api/types';
import { formatInZone, userTimeZone } from '../notice-format';
import { EmptyState, ErrorState, LoadingState } from '../page-states';
import { type ChainCheck, describeCheck, type EventCheck } from './chain-verification';
import { describeActor, describeEvent } from './event-description';
import { useNoticeHistory } from './notice-queries';
import { VerifyChain } from './verify-chain';

/** The notice's history as a timeline — who, when, what, why — with the in-browser chain check. */
export function NoticeTimeline({ notice }: { notice: Notice }) {
  const history = useNoticeHistory(notice.id);
  const [check, setCheck] = useState<ChainCheck | undefined>(undefined);
  const loadAllEvents = async () => {
    let result = history;
    // Verification needs the whole chain: fetch the pages not yet loaded.
    while (result.hasNextPage) result = await result.fetchNextPage();
    if (result.error) throw result.error;
    return result.data?.pages.flatMap((page) => page.items) ?? [];
  };
  const events = history.data?.pages.flatMap((page) => page.items) ?? [];
  const checks = new Map(check?.events.map((c) => [c.seq, c]));
  return (
    <Stack gap={1.5} as="section" aria-labelledby="history-heading">
      <H2 id="history-heading">History</H2>
      {history.isPending ? (
        <LoadingState label="Loading the history" />
      ) : history.isError ? (
        <ErrorState
          title="The history could not be loaded"
          error={history.error}
          retry={() => void history.refetch()}
        />
      ) : events.length === 0 ? (
        <EmptyState>No events yet.</EmptyState>
      ) : (
        <>
          <VerifyChain loadAllEvents={loadAllEvents} onResult={setCheck} />
          <ol aria-label="Events, oldest first" css={{ listStyle: 'none', margin: 0, padding: 0 }}>
            {events.map((event) => (
              <TimelineEvent key={event.seq} event={event} timeZone={notice.timeZone} check={checks.get(event.seq)} />
            ))}
          </ol>
          {history.hasNextPage && (
            <div>
              <Button
                variant="secondary"
                onClick={() => void history.fetchNextPage()}
                loading={history.isFetchingNextPage}
                loadingLabel="Loading more events"
              >
                Show more events
              </Button>
            </div>
          )}
        </>
      )}
    </Stack>
  );
}

function TimelineEvent({ event, timeZone, check }: { event: NoticeEvent; timeZone: string; check?: EventCheck }) {
  const { title, details } = describeEvent(event, timeZone);
  const zone = userTimeZone();
  return (
    <li
      data-event-seq={event.seq}
      css={{ borderLeft: '4px solid #9aa5b1', padding: '0 0 1.5rem 1rem', position: 'relative' }}
    >
      <Stack gap={0.5}>
        <H3>
          {event.seq}. {title}
        </H3>
        <Text fontSize="sm">
          <time dateTime={event.at}>{formatInZone(event.at, timeZone)}</time>
          {zone !== timeZone && ` (your time: ${formatInZone(event.at, zone)})`}
        </Text>
        <Text fontSize="sm">By {describeActor(event.actor)}</Text>
        {event.reason && (
          <Text fontSize="sm" css={{ whiteSpace: 'pre-line' }}>
            Reason: {event.reason}
          </Text>
        )}
        {details.map((line) => (
          <Text key={line} fontSize="sm">
            {line}
          </Text>
        ))}
        <Text fontSize="xs" color="muted" css={{ overflowWrap: 'anywhere', fontFamily: 'monospace' }}>
          Hash {event.hash}
        </Text>
        {check && (
          <Text
            fontSize="sm"
            fontWeight="bold"
            color={check.ok ? 'success' : 'error'}
            data-chain-check={check.ok ? 'pass' : 'fail'}
          >
            {check.ok ? '✓ ' : '✗ '}
            {describeCheck(check)}
          </Text>
        )}
      </Stack>
    </li>
  );
}
