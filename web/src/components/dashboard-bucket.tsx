import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import type { Notice } from '../api/types';
import type { Bucket } from './dashboard-summary';
import { dueInWords, STATUS_LABELS } from './notice-format';
import { noticeHref } from './notice-links';

const SHOWN = 5;

/**
 * One dashboard section: how many, the first few (each a link to its notice), and links to the table filtered
 * to the same notices. "At least" when the bounded pages the dashboard reads did not reach every such notice.
 */
export function DashboardBucket({
  id,
  title,
  bucket,
  now,
  platformName,
  detail,
  views,
  empty,
}: {
  id: string;
  title: string;
  bucket: Bucket;
  now: Date;
  platformName: (id: string) => string;
  detail?: (notice: Notice) => string;
  views: { label: string; href: string }[];
  empty: string;
}) {
  const count = bucket.notices.length;
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId}>
      <Stack gap={1}>
        <H2 id={headingId}>
          {title}: {bucket.complete ? count : `at least ${count}`}
        </H2>
        {count === 0 ? (
          <Text as="p">{empty}</Text>
        ) : (
          <ul css={{ margin: 0, paddingLeft: '1.25rem' }}>
            {bucket.notices.slice(0, SHOWN).map((notice) => (
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
        {views.length > 0 && count > 0 && (
          <ul css={{ margin: 0, paddingLeft: '1.25rem' }}>
            {views.map((view) => (
              <li key={view.href}>
                <TextLink href={view.href}>{view.label}</TextLink>
              </li>
            ))}
          </ul>
        )}
      </Stack>
    </section>
  );
}
