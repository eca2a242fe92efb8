import { Callout } from '@ag.ds-next/react/callout';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import { describeError, unwrap } from '../api/api-error';
import type { Schemas } from '../api/types';
import { formatInZone, userTimeZone, zoneNameSuffix } from './notice-format';
import { useDebouncedValue } from './use-debounced-value';

export type DueTimePreviewRequest = Schemas['DueTimePreviewRequest'];

/**
 * The due time the notice would get if it were issued now, with the deadline engine's own explanation
 * (`POST /due-time-preview`, the same computation as issue, nothing saved). Asked for once the terms have
 * settled for half a second; the answer is announced politely.
 */
export function DueTimePreview({ request }: { request: DueTimePreviewRequest | undefined }) {
  const api = useApi();
  const settled = useDebouncedValue(request, 500);
  const preview = useQuery({
    queryKey: ['due-time-preview', settled],
    queryFn: () => unwrap(api.POST('/due-time-preview', { body: settled as DueTimePreviewRequest })),
    enabled: settled !== undefined,
    // "Now" moves on: the same terms a minute later can fall due a day later.
    staleTime: 30_000,
  });
  const waiting = request !== settled || preview.isFetching;
  return (
    <Callout title="Due time if issued now">
      <div role="status" aria-live="polite" aria-atomic="true" data-testid="due-time-preview">
        <PreviewBody request={request} waiting={waiting} preview={preview} />
      </div>
    </Callout>
  );
}

function PreviewBody({
  request,
  waiting,
  preview,
}: {
  request: DueTimePreviewRequest | undefined;
  waiting: boolean;
  preview: { data?: Schemas['DueTimePreview']; error: unknown; isError: boolean };
}) {
  if (!request) return <Text as="p">Choose the type of notice to see when it would be due.</Text>;
  if (waiting) return <Text as="p">Working out the due time…</Text>;
  if (preview.isError) return <Text as="p">The due time could not be worked out: {describeError(preview.error)}</Text>;
  const data = preview.data;
  if (!data) return null;
  if (!data.dueAt) return <Text as="p">Nothing is due under this type of notice.</Text>;
  const zone = request.timeZone ?? userTimeZone();
  const mine = userTimeZone();
  return (
    <Stack gap={1}>
      <Text as="p" fontWeight="bold">
        Due {formatInZone(data.dueAt, zone)}
        {zoneNameSuffix(formatInZone(data.dueAt, zone), zone)}
      </Text>
      {mine !== zone && (
        <Text as="p">
          That is {formatInZone(data.dueAt, mine)} in your time zone ({mine}).
        </Text>
      )}
      {data.dueExplanation && data.dueExplanation.length > 0 && (
        <>
          <Text as="p">How it is worked out, if the notice is given at {formatInZone(data.givenAt, zone)}:</Text>
          <ol css={{ margin: 0, paddingLeft: '1.5rem' }}>
            {data.dueExplanation.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ol>
        </>
      )}
    </Stack>
  );
}
