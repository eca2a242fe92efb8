import { PageContent } from '@ag.ds-next/react/content';
import { Prose } from '@ag.ds-next/react/prose';

export function NotFoundPage() {
  return (
    <PageContent>
      <Prose>
        <h1>Page not found</h1>
        <p>If you typed the address, check it is correct. If you followed a link, it may be out of date.</p>
        <p>
          <a href="/">Go to the start page</a>
        </p>
      </Prose>
    </PageContent>
  );
}
