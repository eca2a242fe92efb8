import { StatusBadge } from '@ag.ds-next/react/status-badge';
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  TableWrapper,
} from '@ag.ds-next/react/table';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import type { Notice } from '../api/types';
import { AWAITING_PLATFORM, dueInWords, formatInZone, STATUS_LABELS, STATUS_TONES } from './notice-format';
import { noticeHref } from './notice-links';

/**
 * One page of notices. The due time is shown twice — in the notice's own zone (the one the law reads it in) and
 * in the user's — and in words, so "overdue" never depends on the reader converting zones in their head.
 */
export function NoticesTable({
  notices,
  caption,
  userZone,
  now,
  names,
}: {
  notices: readonly Notice[];
  caption: string;
  userZone: string;
  now: Date;
  names: { platform: (id: string) => string; type: (id: string) => string };
}) {
  return (
    <TableWrapper>
      <Table>
        <TableCaption>{caption}</TableCaption>
        <TableHead>
          <tr>
            <TableHeader scope="col">Notice</TableHeader>
            <TableHeader scope="col">Platform</TableHeader>
            <TableHeader scope="col">Type</TableHeader>
            <TableHeader scope="col">Status</TableHeader>
            <TableHeader scope="col">Due (notice's time zone)</TableHeader>
            <TableHeader scope="col">Due (your time zone: {userZone})</TableHeader>
            <TableHeader scope="col">Due in</TableHeader>
          </tr>
        </TableHead>
        <TableBody>
          {notices.map((notice) => (
            <NoticeRow key={notice.id} notice={notice} userZone={userZone} now={now} names={names} />
          ))}
        </TableBody>
      </Table>
    </TableWrapper>
  );
}

function NoticeRow({
  notice,
  userZone,
  now,
  names,
}: {
  notice: Notice;
  userZone: string;
  now: Date;
  names: { platform: (id: string) => string; type: (id: string) => string };
}) {
  const due = notice.dueAt ? dueInWords(notice.dueAt, now) : undefined;
  const owed = AWAITING_PLATFORM.includes(notice.status);
  return (
    <TableRow>
      <TableCell>
        <TextLink href={noticeHref(notice.id)}>{notice.title}</TextLink>
        <Text as="div" fontSize="xs" color="muted">
          {notice.id}
        </Text>
      </TableCell>
      <TableCell>{names.platform(notice.platformId)}</TableCell>
      <TableCell>{names.type(notice.type)}</TableCell>
      <TableCell>
        <StatusBadge tone={STATUS_TONES[notice.status]} label={STATUS_LABELS[notice.status]} />
      </TableCell>
      <TableCell>
        {notice.dueAt ? (
          <>
            {formatInZone(notice.dueAt, notice.timeZone)}
            <Text as="div" fontSize="xs" color="muted">
              {notice.timeZone}
            </Text>
          </>
        ) : (
          <NoDue notice={notice} />
        )}
      </TableCell>
      <TableCell>{notice.dueAt ? formatInZone(notice.dueAt, userZone) : '—'}</TableCell>
      <TableCell>
        {due && owed ? (
          <Text fontWeight={due.overdue ? 'bold' : 'normal'} color={due.overdue ? 'error' : 'text'}>
            {due.text}
          </Text>
        ) : (
          <Text color="muted">{due ? 'Nothing owed now' : '—'}</Text>
        )}
      </TableCell>
    </TableRow>
  );
}

function NoDue({ notice }: { notice: Notice }) {
  return <Text color="muted">{notice.status === 'draft' ? 'Set when issued' : 'Nothing due'}</Text>;
}
