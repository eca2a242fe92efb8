import { PageContent } from '@ag.ds-next/react/content';
import { H1 } from '@ag.ds-next/react/heading';
import { SectionAlert } from '@ag.ds-next/react/section-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { DevClockPanel } from './dev-clock-panel';
import { DevOutbox } from './dev-outbox';

/**
 * Local only: the mail outbox and the portal clock. Its own chunk (assets/dev-panel-*.js), loaded only when the
 * configuration says so; the deployed build leaves it out. Default export for React.lazy.
 */
export default function DeveloperPanel() {
  return (
    <PageContent>
      <Stack gap={3}>
        <H1>Developer panel (local only)</H1>
        <SectionAlert tone="warning" title="Local only">
          These controls exist only in the local portal (npm start). They are not part of the deployed service.
        </SectionAlert>
        <DevClockPanel />
        <DevOutbox />
      </Stack>
    </PageContent>
  );
}
