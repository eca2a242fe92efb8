import { Card, CardInner } from '@ag.ds-next/react/card';
import { H3 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import type { Notice } from '../../api/types';
import {
  AWAITING_PLATFORM,
  dueInWords,
  formatInZone,
  STATUS_LABELS,
  STATUS_TONES,
  zoneNameSuffix,
} from '../notice-format';
import { noticeHref } from '../notice-links';
import { AcknowledgeButton } from '../platform/acknowledge-button';
import { badgeTone } from '../status-tone';

/**
 * One notice in the inbox: its title (the link), status and type, the due time on the notice's clocks and the
 * reader's, how long is left, and — while it is unacknowledged — a "New" tag and the acknowledge button.
 */
export function InboxItem({
  notice,
  now,
  userZone,
  typeLabel,
  ownPlatformId,
}: {
  notice: Notice;
  now: Date;
  userZone: string;
  typeLabel: string;
  ownPlatformId: string | undefined;
}) {
  const running = AWAITING_PLATFORM.includes(notice.status);
  const left = notice.dueAt && running ? dueInWords(notice.dueAt, now) : undefined;
  const unacknowledged = notice.status === 'issued';
  return (
    <Card shadow={unacknowledged}>
      <CardInner>
        <Stack gap={0.75}>
          <H3>
            <TextLink href={noticeHref(notice.id)}>{notice.title}</TextLink>
          </H3>
          <Stack gap={0.5} flexDirection="row" flexWrap="wrap" alignItems="center">
            {unacknowledged && <StatusBadge appearance="regular" tone="infoHigh" label="New: not yet acknowledged" />}
            <StatusBadge
              appearance="subtle"
              tone={badgeTone(STATUS_TONES[notice.status])}
              label={STATUS_LABELS[notice.status]}
            />
            {left?.overdue && <StatusBadge appearance="regular" tone="errorHigh" label="Overdue" />}
          </Stack>
          <Text fontSize="sm" color="muted">
            {typeLabel} · {notice.id}
            {ownPlatformId && notice.platformId !== ownPlatformId
              ? ` · for ${notice.platformId} (merged into yours)`
              : ''}
          </Text>
          {notice.dueAt ? (
            <Text as="p" fontSize="sm">
              Due <strong>{formatInZone(notice.dueAt, notice.timeZone)}</strong>
              {zoneNameSuffix(formatInZone(notice.dueAt, notice.timeZone), notice.timeZone)}
              {userZone !== notice.timeZone && (
                <>
                  <br />
                  Your time: {formatInZone(notice.dueAt, userZone)}
                </>
              )}
            </Text>
          ) : (
            <Text as="p" fontSize="sm">
              Nothing is due under this notice.
            </Text>
          )}
          {left && (
            <Text as="p" fontWeight="bold" color={left.overdue ? 'error' : 'text'}>
              {left.text}
            </Text>
          )}
          {unacknowledged && <AcknowledgeButton notice={notice} context="list" />}
        </Stack>
      </CardInner>
    </Card>
  );
}
