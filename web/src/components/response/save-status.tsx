import { Text } from '@ag.ds-next/react/text';
import { formatClockInZone, userTimeZone } from '../notice-format';
import type { SaveState } from './use-answers-autosave';

/**
 * "Saved at 14:05 AEDT" (in the user's zone, named as every other time on these pages is) / "Saving…" / "Not saved: …", in a polite live region that is on the page from the start (so
 * each change is announced) and says only what changed, never while the user is typing ("pending" is silent).
 */
export function SaveStatus({ state }: { state: SaveState }) {
  return (
    <div role="status" aria-live="polite" aria-atomic="true" css={{ minHeight: '1.5rem' }}>
      {state.kind === 'saving' && <Text>Saving…</Text>}
      {state.kind === 'saved' && <Text>Saved at {formatClockInZone(state.at, userTimeZone())}</Text>}
      {state.kind === 'failed' && (
        <Text color="error">
          Not saved: {state.message} Your answers are kept in this browser and will be saved when you next change them
          or press a save button.
        </Text>
      )}
      {state.kind === 'conflict' && (
        <Text color="error">Not saved: someone else at your platform saved these answers first.</Text>
      )}
    </div>
  );
}
