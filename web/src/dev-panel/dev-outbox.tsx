import { Button } from '@ag.ds-next/react/button';
import { Details } from '@ag.ds-next/react/details';
import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { useQuery } from '@tanstack/react-query';
import { formatInZone, userTimeZone } from '../components/notice-format';
import { noticeHref } from '../components/notice-links';
import { EmptyState, ErrorState, LoadingState } from '../components/page-states';
import { getOutbox } from './dev-api';

/** Every e-mail the local portal has sent (the outbox folder), newest first. */
export function DevOutbox() {
  const outbox = useQuery({ queryKey: ['dev', 'outbox'], queryFn: getOutbox });
  const messages = [...(outbox.data?.items ?? [])].reverse();
  return (
    <section aria-labelledby="dev-outbox">
      <Stack gap={1.5}>
        <H2 id="dev-outbox">Outbox</H2>
        <div role="status" aria-live="polite">
          {outbox.isFetching && <LoadingState label="Reading the outbox" />}
          {outbox.data && !outbox.isFetching && <Text as="p">{messages.length} e-mails sent.</Text>}
        </div>
        {outbox.isError && (
          <ErrorState title="The outbox could not be read" error={outbox.error} retry={() => void outbox.refetch()} />
        )}
        {outbox.data && messages.length === 0 && (
          <EmptyState>No e-mail has been sent yet. Issue a notice or run reminders.</EmptyState>
        )}
        {messages.map((m) => (
          <Details key={m.id} label={`${m.subject} — to ${m.to.join(', ')}`}>
            <Stack gap={0.5}>
              <Text as="p" fontSize="sm">
                From {m.from}, {formatInZone(m.acceptedAt, userTimeZone())}. About{' '}
                <TextLink href={noticeHref(m.noticeId)}>{m.noticeId}</TextLink>.
              </Text>
              <pre css={{ whiteSpace: 'pre-wrap', margin: 0, fontFamily: 'inherit' }}>{m.text}</pre>
            </Stack>
          </Details>
        ))}
        <div>
          <Button variant="secondary" onClick={() => void outbox.refetch()}>
            Refresh the outbox
          </Button>
        </div>
      </Stack>
    </section>
  );
}
