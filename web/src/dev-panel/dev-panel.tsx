import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';

/** Local only: the mail outbox and the portal clock (TODO by the web helper). Default export for React.lazy. */
export default function DeveloperPanel() {
  return (
    <PageContent>
      <Prose>
        <h1>Developer panel (local only)</h1>
      </Prose>
    </PageContent>
  );
}
