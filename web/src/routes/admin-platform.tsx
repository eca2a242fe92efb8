import { PageContent } from '@ag.ds-next/react/content';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { TextLink } from '@ag.ds-next/react/text-link';
import { createRoute } from '@tanstack/react-router';
import { ApiError } from '../api/api-error';
import type { Platform } from '../api/types';
import { AdminOnly } from '../components/admin/admin-only';
import { usePlatform } from '../components/admin/admin-queries';
import { ApiClientsSection } from '../components/admin/api-clients-section';
import { PlatformChanges } from '../components/admin/platform-changes';
import { ProvenanceList } from '../components/admin/provenance-list';
import { SigningKeysSection } from '../components/admin/signing-keys-section';
import { NotFoundPage } from '../components/not-found-page';
import { Announcements } from '../components/notice/announcer';
import { SummaryRow } from '../components/notice/summary-row';
import { ErrorState, PageLoading } from '../components/page-states';
import { rootRoute } from './root';

export const adminPlatformRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/platforms/$platformId',
  component: () => (
    <AdminOnly>
      <PlatformPage />
    </AdminOnly>
  ),
});

function PlatformPage() {
  const { platformId } = adminPlatformRoute.useParams();
  const query = usePlatform(platformId);
  if (query.isPending) return <PageLoading label="Loading the platform" />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) return <NotFoundPage />;
    return (
      <PageContent>
        <Stack gap={1}>
          <H1>Platform {platformId}</H1>
          <ErrorState title="The platform could not be loaded" error={query.error} retry={() => void query.refetch()} />
        </Stack>
      </PageContent>
    );
  }
  const platform = query.data;
  return (
    <PageContent>
      <Stack gap={2}>
        <Stack gap={0.5}>
          <TextLink href="/admin/platforms">Back to platforms</TextLink>
          <H1>{platform.legalName}</H1>
        </Stack>
        <Announcements />
        <PlatformSummary platform={platform} />
        <PlatformChanges platform={platform} />
        <SigningKeysSection platform={platform} />
        <ApiClientsSection platformId={platform.platformId} />
        <ProvenanceList platform={platform} />
      </Stack>
    </PageContent>
  );
}

function PlatformSummary({ platform }: { platform: Platform }) {
  const link = (id: string) => <TextLink href={`/admin/platforms/${encodeURIComponent(id)}`}>{id}</TextLink>;
  return (
    <Stack gap={1}>
      <H2>Details</H2>
      <SummaryList>
        <SummaryRow term="Platform id">{platform.platformId}</SummaryRow>
        <SummaryRow term="Status">{platform.status === 'active' ? 'Active' : 'Merged'}</SummaryRow>
        {platform.mergedInto && <SummaryRow term="Merged into">{link(platform.mergedInto)}</SummaryRow>}
        {platform.predecessors.length > 0 && (
          <SummaryRow term="Absorbed">
            {platform.predecessors.map((id, i) => (
              <span key={id}>
                {i > 0 && ', '}
                {link(id)}
              </span>
            ))}
          </SummaryRow>
        )}
        <SummaryRow term="Trading names">{platform.tradingNames.join('\n') || 'None'}</SummaryRow>
        <SummaryRow term="Jurisdiction">
          {platform.jurisdiction.state
            ? `${platform.jurisdiction.state}, ${platform.jurisdiction.country}`
            : platform.jurisdiction.country}
        </SummaryRow>
        <SummaryRow term="Addresses for service">{platform.contacts.join('\n')}</SummaryRow>
      </SummaryList>
    </Stack>
  );
}
