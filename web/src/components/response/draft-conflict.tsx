import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { Details } from '@ag.ds-next/react/details';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { describeActor } from '../notice/event-description';
import { SummaryRow } from '../notice/summary-row';
import { formatInZone } from '../notice-format';
import type { DraftAnswer, ResponseDraft } from './draft-types';

const say = (a: DraftAnswer | undefined) =>
  a?.cannotAnswer ? `Cannot answer: ${a.cannotAnswer.reason}` : a?.answer?.trim() ? a.answer : '(no answer)';

/**
 * A colleague saved the shared draft after this page loaded: both versions side by side, and the choice — keep
 * mine (saved over theirs) or use theirs (mine is discarded). Nothing is overwritten until one is chosen.
 */
export function DraftConflict({
  theirs,
  mine,
  timeZone,
  keepMine,
  useTheirs,
}: {
  theirs: ResponseDraft;
  mine: DraftAnswer[];
  timeZone: string;
  keepMine: () => void;
  useTheirs: () => void;
}) {
  const who = theirs.savedBy ? describeActor(theirs.savedBy) : 'Someone else at your platform';
  const theirsBy = new Map(theirs.answers.map((a) => [a.question, a]));
  return (
    <PageAlert tone="warning" title="Someone else changed these answers" focusOnMount role="alert">
      <Stack gap={1}>
        <Text as="p">
          {who} saved the answers{theirs.savedAt ? ` at ${formatInZone(theirs.savedAt, timeZone)}` : ''}, after you
          opened this page. Your changes are kept in this browser but have not been saved. Choose which to keep.
        </Text>
        <Details label="Compare the two versions">
          <SummaryList>
            {mine.map((a) => (
              <SummaryRow key={a.question} term={`Question ${a.question}`}>
                {`Yours: ${say(a)}\nTheirs: ${say(theirsBy.get(a.question))}`}
              </SummaryRow>
            ))}
          </SummaryList>
        </Details>
        <ButtonGroup>
          <Button onClick={keepMine}>Keep my answers</Button>
          <Button variant="secondary" onClick={useTheirs}>
            Use their answers
          </Button>
        </ButtonGroup>
      </Stack>
    </PageAlert>
  );
}
