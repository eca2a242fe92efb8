import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import type { Notice } from '../api/types';
import type { Bucket } from './dashboard-lists';
import { dueInWords, STATUS_LABELS } from './notice-format';
import { noticeHref } from './notice-links';

/**
 * One dashboard section: how many (the portal's count, where the caller has counts), the first few (each a link
 * to its notice), and a link to the table filtered to the same notices.
 */
export function DashboardBucket({
  id,
  title,
  bucket,
  now,
  platformName,
  detail,
  view,
  more,
  empty,
}: {
  id: string;
  title: string;
  bucket: Bucket;
  now: Date;
  platformName: (id: string) => string;
  detail?: (notice: Notice) => string;
  view: { label: string; href: string };
  /** More notices follow the ones listed. */
  more: boolean;
  empty: string;
}) {
  const count = bucket.total ?? bucket.notices.length;
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId}>
      <Stack gap={1}>
        <H2 id={headingId}>{bucket.total === undefined && more ? title : `${title}: ${count}`}</H2>
        {bucket.notices.length === 0 ? (
          <Text as="p">{empty}</Text>
        ) : (
          <ul css={{ margin: 0, paddingLeft: '1.25rem' }}>
            {bucket.notices.map((notice) => (
              <li key={notice.id}>
                <TextLink href={noticeHref(notice.id)}>{notice.title}</TextLink>
                <Text fontSize="sm">
                  {' '}
                  — {platformName(notice.platformId)}, {STATUS_LABELS[notice.status].toLowerCase()}
                  {detail
                    ? `, ${detail(notice)}`
                    : notice.dueAt
                      ? `, ${dueInWords(notice.dueAt, now).text.toLowerCase()}`
                      : ''}
                </Text>
              </li>
            ))}
          </ul>
        )}
        {bucket.notices.length > 0 && (
          <Text as="p">
            <TextLink href={view.href}>{view.label}</TextLink>
          </Text>
        )}
      </Stack>
    </section>
  );
}
