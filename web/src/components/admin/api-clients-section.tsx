import { H2, H3 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import type { operations } from '../../api/schema';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { TextareaField, TextField } from '../form/fields';
import { SummaryRow } from '../notice/summary-row';
import { formatInZone, userTimeZone } from '../notice-format';
import { EmptyState, ErrorState, LoadingState } from '../page-states';
import { adminKeys, useApiClients } from './admin-queries';
import { ClientSecret } from './client-secret';
import { useAdminCommand } from './use-admin-command';

type ApiClient = operations['listApiClients']['responses'][200]['content']['application/json']['items'][number];

/** A platform's machine clients (client credentials): create one (its secret shown once), revoke one. */
export function ApiClientsSection({ platformId }: { platformId: string }) {
  const clients = useApiClients(platformId);
  const [created, setCreated] = useState<{ clientId: string; secret: string } | undefined>(undefined);
  return (
    <Stack gap={1} as="section" aria-labelledby="clients-heading">
      <H2 id="clients-heading">API clients</H2>
      <Text as="p" fontSize="sm">
        Machine clients let the platform's own systems use the API. At most two may be active, so a secret can be
        rotated without downtime.
      </Text>
      {created ? (
        <ClientSecret clientId={created.clientId} secret={created.secret} onDone={() => setCreated(undefined)} />
      ) : (
        <div>
          <CreateClient platformId={platformId} onCreated={setCreated} />
        </div>
      )}
      {clients.isPending ? (
        <LoadingState label="Loading the API clients" />
      ) : clients.isError ? (
        <ErrorState
          title="The API clients could not be loaded"
          error={clients.error}
          retry={() => void clients.refetch()}
        />
      ) : clients.data.items.length === 0 ? (
        <EmptyState>No API clients for {platformId} yet.</EmptyState>
      ) : (
        clients.data.items.map((client) => <ClientItem key={client.clientId} client={client} />)
      )}
    </Stack>
  );
}

function CreateClient({
  platformId,
  onCreated,
}: {
  platformId: string;
  onCreated: (created: { clientId: string; secret: string }) => void;
}) {
  const formId = `create-client-${platformId}`;
  const form = useDialogForm<{ label: string }>({
    resolver: zodResolver(z.object({ label: z.string().trim().min(1, 'Enter a label, such as "Compliance system"') })),
    defaultValues: { label: '' },
  });
  const create = useAdminCommand(
    (api, v: { label: string }, headers) =>
      unwrap(
        api.POST('/platforms/{platformId}/api-clients', {
          params: { path: { platformId } },
          headers,
          body: { label: v.label.trim() },
        }),
      ),
    [adminKeys.apiClients(platformId)],
    (result) => `API client ${result.client.clientId} created. Copy its secret now.`,
    (result) => onCreated({ clientId: result.client.clientId, secret: result.clientSecret }),
  );
  return (
    <CommandDialog
      triggerLabel="Create an API client"
      triggerVariant="primary"
      title="Create an API client"
      confirmLabel="Create client"
      form={form}
      formId={formId}
      labels={{ label: 'Label' }}
      onConfirm={create}
      intro={<Text as="p">Its secret is shown once, after it is created.</Text>}
    >
      <TextField form={form} formId={formId} name="label" label="Label" required />
    </CommandDialog>
  );
}

function ClientItem({ client }: { client: ApiClient }) {
  const zone = userTimeZone();
  const formId = `revoke-client-${client.clientId}`;
  const form = useDialogForm<{ reason: string }>({
    resolver: zodResolver(z.object({ reason: z.string().trim().min(3, 'Enter the reason (at least 3 characters)') })),
    defaultValues: { reason: '' },
  });
  const revoke = useAdminCommand(
    (api, v: { reason: string }, headers) =>
      unwrap(
        api.POST('/platforms/{platformId}/api-clients/{clientId}/revoke', {
          params: { path: { platformId: client.platformId, clientId: client.clientId } },
          headers,
          body: { reason: v.reason.trim() },
        }),
      ),
    [adminKeys.apiClients(client.platformId)],
    () => `API client ${client.label} revoked.`,
  );
  return (
    <Stack gap={0.75} as="article" aria-label={`API client ${client.label}`}>
      <H3>
        {client.label}{' '}
        <StatusBadge
          appearance="subtle"
          tone={client.status === 'active' ? 'successLow' : 'errorMedium'}
          label={client.status === 'active' ? 'Active' : 'Revoked'}
        />
      </H3>
      <SummaryList>
        <SummaryRow term="Client id">{client.clientId}</SummaryRow>
        <SummaryRow term="Created">{`${formatInZone(client.createdAt, zone)} by ${client.createdBy.name ?? client.createdBy.subject}`}</SummaryRow>
        {client.revokedAt && (
          <SummaryRow term="Revoked">
            {`${formatInZone(client.revokedAt, zone)}${client.revokedBy ? ` by ${client.revokedBy.name ?? client.revokedBy.subject}` : ''}${
              client.revocationReason ? `\nReason: ${client.revocationReason}` : ''
            }`}
          </SummaryRow>
        )}
      </SummaryList>
      {client.status === 'active' && (
        <div>
          <CommandDialog
            triggerLabel={`Revoke ${client.label}`}
            title="Revoke this API client"
            confirmLabel="Revoke client"
            form={form}
            formId={formId}
            labels={{ reason: 'Reason' }}
            onConfirm={revoke}
            intro={<Text as="p">Its tokens stop working on the next request. This cannot be undone.</Text>}
          >
            <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
          </CommandDialog>
        </div>
      )}
    </Stack>
  );
}
