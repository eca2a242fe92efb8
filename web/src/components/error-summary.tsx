import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Text } from '@ag.ds-next/react/text';

export interface SummaryError {
  /** The id of the input the message is about; the summary links there. */
  fieldId?: string;
  message: string;
}

/**
 * GOV.UK's error summary: at the top of the form, focused when it appears (so screen readers read it and keyboard
 * users start from it), each message a link that moves focus to the field it names. `revision` changes on every
 * failed submission so a second failure is focused and announced too.
 */
// `focusOnUpdate` takes the value itself: AgDS's useFocus compares it by identity, so an array literal
// (`[revision]`) is new on every render and pulled focus out of a field after each key typed (found by the
// keyboard-only browser test).
export function ErrorSummary({ errors, revision }: { errors: SummaryError[]; revision: number }) {
  if (errors.length === 0) return null;
  return (
    <PageAlert tone="error" title="There is a problem" focusOnMount focusOnUpdate={String(revision)} id="error-summary">
      {/* Links a line apart are closer than WCAG 2.2's 24px target spacing (2.5.8, axe target-size): a gap between. */}
      <ul css={{ margin: 0, paddingLeft: '1.25rem', '& > li + li': { marginTop: '0.5rem' } }}>
        {errors.map((error) => (
          <li key={`${error.fieldId ?? ''}:${error.message}`}>
            {error.fieldId ? (
              <a href={`#${error.fieldId}`} onClick={(event) => focusField(event, error.fieldId)}>
                {error.message}
              </a>
            ) : (
              <Text>{error.message}</Text>
            )}
          </li>
        ))}
      </ul>
    </PageAlert>
  );
}

/** Moves focus to the field (the link's default jump would scroll but leave focus on the link). */
function focusField(event: React.MouseEvent<HTMLAnchorElement>, fieldId: string | undefined): void {
  if (!fieldId) return;
  const field = document.getElementById(fieldId);
  if (!field) return;
  event.preventDefault();
  field.scrollIntoView({ block: 'center' });
  field.focus();
}
