import { PageContent } from '@ag.ds-next/react/content';
import { LoadingDots } from '@ag.ds-next/react/loading';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import type { ReactNode } from 'react';
import { ApiError, describeError } from '../api/api-error';

/**
 * The states every page has besides its content. Loading is announced politely; an error names what failed in the
 * API's own words and offers a retry; empty says what would appear here and how to make it appear.
 */
export function PageLoading({ label }: { label: string }) {
  return (
    <PageContent>
      <Stack gap={1} role="status" aria-live="polite">
        <LoadingDots label={label} />
        <Text>{label}…</Text>
      </Stack>
    </PageContent>
  );
}

export function LoadingState({ label }: { label: string }) {
  return (
    <Stack gap={1} role="status" aria-live="polite">
      <LoadingDots label={label} />
      <Text>{label}…</Text>
    </Stack>
  );
}

export function ErrorState({ title, error, retry }: { title: string; error: unknown; retry?: () => void }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <PageAlert tone="error" title={title} role="alert">
      <Text as="p">{describeError(error)}</Text>
      {requestId && (
        <Text as="p" fontSize="xs">
          Reference for the operators: {requestId}
        </Text>
      )}
      {retry && (
        <Text as="p">
          <button type="button" onClick={retry} css={{ all: 'unset', textDecoration: 'underline', cursor: 'pointer' }}>
            Try again
          </button>
        </Text>
      )}
    </PageAlert>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return (
    <PageAlert tone="info">
      <Text as="p">{children}</Text>
    </PageAlert>
  );
}
