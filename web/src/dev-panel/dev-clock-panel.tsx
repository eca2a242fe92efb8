import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { H2 } from '@ag.ds-next/react/heading';
import { Modal } from '@ag.ds-next/react/modal';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextInput } from '@ag.ds-next/react/text-input';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api-error';
import { formatInZone, userTimeZone } from '../components/notice-format';
import { ErrorState, LoadingState } from '../components/page-states';
import { advanceClock, getClock, runReminders } from './dev-api';

/**
 * The portal's movable clock: shows it, moves it forward by a duration or to a time (never back: the portal
 * refuses), each move confirmed first; and runs the reminder job now.
 */
export function DevClockPanel() {
  const queryClient = useQueryClient();
  const clock = useQuery({ queryKey: ['dev', 'clock'], queryFn: getClock, refetchInterval: 30_000 });
  const [by, setBy] = useState({ days: '', hours: '', minutes: '' });
  const [to, setTo] = useState('');
  const [pending, setPending] = useState<{ minutes: number; words: string } | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const move = useMutation({
    mutationFn: advanceClock,
    onSuccess: (next) => {
      queryClient.setQueryData(['dev', 'clock'], next);
      // Everything dated by the portal may now read differently (overdue, due in …).
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'dev' });
    },
  });
  const reminders = useMutation({ mutationFn: runReminders });
  const askBy = (event: FormEvent) => {
    event.preventDefault();
    const minutes = Number(by.days || 0) * 1440 + Number(by.hours || 0) * 60 + Number(by.minutes || 0);
    if (!Number.isInteger(minutes) || minutes <= 0)
      return setFormError('Enter whole days, hours or minutes to move forward.');
    setFormError(undefined);
    setPending({ minutes, words: `by ${by.days || 0} days, ${by.hours || 0} hours and ${by.minutes || 0} minutes` });
  };
  const askTo = (event: FormEvent) => {
    event.preventDefault();
    const target = Date.parse(to);
    const now = clock.data ? Date.parse(clock.data.now) : Number.NaN;
    if (Number.isNaN(target) || Number.isNaN(now) || target <= now) {
      return setFormError('Enter a time after the portal’s current time: the clock only moves forward.');
    }
    setFormError(undefined);
    const minutes = Math.ceil((target - now) / 60_000);
    setPending({ minutes, words: `to ${formatInZone(new Date(target).toISOString(), userTimeZone())}` });
  };
  return (
    <section aria-labelledby="dev-clock">
      <Stack gap={1.5}>
        <H2 id="dev-clock">Portal clock</H2>
        <div role="status" aria-live="polite">
          {clock.isPending && <LoadingState label="Reading the portal clock" />}
          {clock.data && (
            <Text as="p">
              The portal's time is <strong>{formatInZone(clock.data.now, userTimeZone())}</strong>
              {clock.data.offsetMs > 0
                ? `, ${Math.round(clock.data.offsetMs / 60_000)} minutes ahead of real time.`
                : ' (real time).'}
            </Text>
          )}
          {move.isSuccess && <Text as="p">The clock was moved.</Text>}
        </div>
        {clock.isError && (
          <ErrorState title="The clock could not be read" error={clock.error} retry={() => void clock.refetch()} />
        )}
        {formError && (
          <Text as="p" color="error" role="alert">
            {formError}
          </Text>
        )}
        {move.isError && (
          <Text as="p" color="error" role="alert">
            The clock was not moved: {describeError(move.error)}
          </Text>
        )}
        <form onSubmit={askBy} aria-labelledby="dev-clock-by">
          <Stack gap={1}>
            <Text id="dev-clock-by" fontWeight="bold">
              Move forward by
            </Text>
            <ButtonGroup>
              <TextInput
                label="Days"
                type="number"
                inputMode="numeric"
                maxWidth="xs"
                value={by.days}
                onChange={(e) => setBy({ ...by, days: e.target.value })}
              />
              <TextInput
                label="Hours"
                type="number"
                inputMode="numeric"
                maxWidth="xs"
                value={by.hours}
                onChange={(e) => setBy({ ...by, hours: e.target.value })}
              />
              <TextInput
                label="Minutes"
                type="number"
                inputMode="numeric"
                maxWidth="xs"
                value={by.minutes}
                onChange={(e) => setBy({ ...by, minutes: e.target.value })}
              />
            </ButtonGroup>
            <div>
              <Button type="submit" variant="secondary">
                Move the clock forward
              </Button>
            </div>
          </Stack>
        </form>
        <form onSubmit={askTo} aria-labelledby="dev-clock-to">
          <Stack gap={1}>
            <Text id="dev-clock-to" fontWeight="bold">
              Move forward to
            </Text>
            <TextInput
              label="Date and time"
              hint="In your time zone"
              type="datetime-local"
              value={to}
              onChange={(e) => setTo(e.target.value)}
            />
            <div>
              <Button type="submit" variant="secondary">
                Move the clock to this time
              </Button>
            </div>
          </Stack>
        </form>
        <Stack gap={0.5}>
          <div>
            <Button
              variant="secondary"
              onClick={() => reminders.mutate()}
              loading={reminders.isPending}
              loadingLabel="Running"
            >
              Run reminders now
            </Button>
          </div>
          <div role="status" aria-live="polite">
            {reminders.isSuccess && <Text as="p">Reminders ran: {JSON.stringify(reminders.data)}</Text>}
            {reminders.isError && <Text as="p">The reminder run failed: {describeError(reminders.error)}</Text>}
          </div>
        </Stack>
      </Stack>
      <Modal
        isOpen={pending !== undefined}
        title="Move the portal clock forward?"
        onClose={() => setPending(undefined)}
        actions={
          <ButtonGroup>
            <Button
              onClick={() => {
                if (pending) move.mutate(pending.minutes);
                setPending(undefined);
              }}
            >
              Move it forward
            </Button>
            <Button variant="tertiary" onClick={() => setPending(undefined)}>
              Cancel
            </Button>
          </ButtonGroup>
        }
      >
        <Text as="p">
          The clock moves {pending?.words}. It cannot be moved back: every record made from now on carries the new time.
        </Text>
      </Modal>
    </section>
  );
}
