import { Button } from '@ag.ds-next/react/button';
import { SectionAlert } from '@ag.ds-next/react/section-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { useState } from 'react';
import { describeError } from '../../api/api-error';
import type { NoticeEvent } from '../../api/types';
import { type ChainCheck, verifyEventChain } from './chain-verification';

type State =
  | { kind: 'idle' }
  | { kind: 'verifying' }
  | { kind: 'done'; result: ChainCheck }
  | { kind: 'failed'; error: unknown };

/**
 * "Verify chain": fetches the whole history (every page), recomputes each event's hash here in the browser and
 * checks each names the one before — trusting nothing the server says about it. The outcome is announced in a
 * live region; each event's own result is shown on the timeline (`onResult`).
 */
export function VerifyChain({
  loadAllEvents,
  onResult,
}: {
  loadAllEvents: () => Promise<NoticeEvent[]>;
  onResult: (result: ChainCheck | undefined) => void;
}) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const verify = async () => {
    setState({ kind: 'verifying' });
    onResult(undefined);
    try {
      const result = await verifyEventChain(await loadAllEvents());
      setState({ kind: 'done', result });
      onResult(result);
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  };
  return (
    <Stack gap={1}>
      <div>
        <Button
          variant="secondary"
          onClick={() => void verify()}
          loading={state.kind === 'verifying'}
          loadingLabel="Verifying the chain"
        >
          Verify chain
        </Button>
      </div>
      <Text as="p" fontSize="sm" color="muted">
        Recomputes the SHA-256 hash of every event in this browser and checks that each event names the hash of the one
        before it, so any edited, removed or reordered event shows.
      </Text>
      <div role="status" aria-live="polite" aria-atomic="true">
        {state.kind === 'verifying' && <Text>Verifying the chain…</Text>}
        {state.kind === 'done' && <Outcome result={state.result} />}
        {state.kind === 'failed' && (
          <SectionAlert tone="error" title="The chain could not be verified">
            <Text as="p">{describeError(state.error)}</Text>
          </SectionAlert>
        )}
      </div>
    </Stack>
  );
}

function Outcome({ result }: { result: ChainCheck }) {
  const count = result.events.length;
  if (result.valid) {
    return (
      <SectionAlert tone="success" title={`Chain verified: all ${count} event${count === 1 ? '' : 's'} passed`}>
        <Text as="p">Every hash was recomputed in this browser and matches; every event names the one before it.</Text>
      </SectionAlert>
    );
  }
  const failed = result.events.filter((check) => !check.ok).map((check) => check.seq);
  return (
    <SectionAlert tone="error" title={`Chain verification failed at event ${result.firstFailure?.seq}`}>
      <Text as="p">
        {failed.length} of {count} events failed (events {failed.join(', ')}). The timeline shows what is wrong with
        each.
      </Text>
    </SectionAlert>
  );
}
