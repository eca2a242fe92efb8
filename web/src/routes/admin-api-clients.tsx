import { PageContent } from '@ag.ds-next/react/content';
import { H1 } from '@ag.ds-next/react/heading';
import { Select } from '@ag.ds-next/react/select';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { z } from 'zod';
import { AdminOnly } from '../components/admin/admin-only';
import { usePlatforms } from '../components/admin/admin-queries';
import { ApiClientsSection } from '../components/admin/api-clients-section';
import { Announcements } from '../components/notice/announcer';
import { ErrorState, LoadingState } from '../components/page-states';
import { rootRoute } from './root';

const SearchSchema = z.object({ platform: z.string().optional().catch(undefined) });

export const adminApiClientsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/admin/api-clients',
  validateSearch: (search) => SearchSchema.parse(search),
  component: () => (
    <AdminOnly>
      <ApiClients />
    </AdminOnly>
  ),
});

/** API clients by platform: the chosen platform is in the address (`?platform=x-corp`), so the view can be shared. */
function ApiClients() {
  const { platform } = adminApiClientsRoute.useSearch();
  const navigate = useNavigate({ from: '/admin/api-clients' });
  const platforms = usePlatforms();
  return (
    <PageContent>
      <Stack gap={1.5}>
        <H1>API clients</H1>
        <Text as="p">Machine clients a platform's own systems use to call the API with client credentials.</Text>
        <Announcements />
        {platforms.isPending ? (
          <LoadingState label="Loading the platforms" />
        ) : platforms.isError ? (
          <ErrorState
            title="The platforms could not be loaded"
            error={platforms.error}
            retry={() => void platforms.refetch()}
          />
        ) : (
          <Select
            label="Platform"
            placeholder="Choose a platform"
            value={platform ?? ''}
            onChange={(event) => void navigate({ search: { platform: event.target.value || undefined } })}
            options={platforms.data.items.map((p) => ({
              value: p.platformId,
              label: `${p.legalName} (${p.platformId})`,
            }))}
          />
        )}
        {platform && <ApiClientsSection key={platform} platformId={platform} />}
      </Stack>
    </PageContent>
  );
}
