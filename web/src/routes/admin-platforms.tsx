import { PageContent } from '@ag.ds-next/react/content';
import { H1 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
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
import { createRoute } from '@tanstack/react-router';
import { AdminOnly } from '../components/admin/admin-only';
import { usePlatforms } from '../components/admin/admin-queries';
import { OnboardPlatform } from '../components/admin/onboard-platform';
import { Announcements } from '../components/notice/announcer';
import { EmptyState, ErrorState, LoadingState } from '../components/page-states';
import { rootRoute } from './root';

export const adminPlatformsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/platforms',
  component: () => (
    <AdminOnly>
      <Platforms />
    </AdminOnly>
  ),
});

/** Every onboarded platform, with onboarding; each links to its page (names, contacts, keys, API clients). */
function Platforms() {
  const platforms = usePlatforms();
  return (
    <PageContent>
      <Stack gap={1.5}>
        <H1>Platforms</H1>
        <Text as="p">
          The online services notices are given to. Open one to rename it, change its contacts, merge it, or manage its
          signing keys and API clients.
        </Text>
        <Announcements />
        <div>
          <OnboardPlatform />
        </div>
        {platforms.isPending ? (
          <LoadingState label="Loading the platforms" />
        ) : platforms.isError ? (
          <ErrorState
            title="The platforms could not be loaded"
            error={platforms.error}
            retry={() => void platforms.refetch()}
          />
        ) : platforms.data.items.length === 0 ? (
          <EmptyState>No platforms yet. Onboard one to give it notices.</EmptyState>
        ) : (
          <TableWrapper>
            <Table>
              <TableCaption>Onboarded platforms</TableCaption>
              <TableHead>
                <TableRow>
                  <TableHeader scope="col">Legal name</TableHeader>
                  <TableHeader scope="col">Id</TableHeader>
                  <TableHeader scope="col">Trading names</TableHeader>
                  <TableHeader scope="col">Status</TableHeader>
                </TableRow>
              </TableHead>
              <TableBody>
                {platforms.data.items.map((platform) => (
                  <TableRow key={platform.platformId}>
                    <TableCell>
                      <TextLink href={`/admin/platforms/${encodeURIComponent(platform.platformId)}`}>
                        {platform.legalName}
                      </TextLink>
                    </TableCell>
                    <TableCell>{platform.platformId}</TableCell>
                    <TableCell>{platform.tradingNames.join(', ') || '—'}</TableCell>
                    <TableCell>
                      <StatusBadge
                        appearance="subtle"
                        tone={platform.status === 'active' ? 'successLow' : 'unknownLow'}
                        label={platform.status === 'active' ? 'Active' : `Merged into ${platform.mergedInto ?? ''}`}
                      />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableWrapper>
        )}
      </Stack>
    </PageContent>
  );
}
