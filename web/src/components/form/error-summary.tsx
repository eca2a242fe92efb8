import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Text } from '@ag.ds-next/react/text';
import type { MouseEvent } from 'react';
import type { FieldErrors } from 'react-hook-form';

export interface SummaryItem {
  /** The id of the field the message is about; the link moves focus there. Absent for a form-wide problem. */
  fieldId?: string;
  message: string;
}

/** The id a dialog form's field is rendered with, so the error summary can link to it: `<form>-<dotted.path>`. */
export function fieldId(formId: string, name: string): string {
  return `${formId}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/**
 * react-hook-form's nested errors as one list, in the order the form declares its fields, each linked to its field
 * by `fieldIdOf`. `labelFor` names the field in the line ("Question 2: must not be empty") where the message alone
 * would be read away from its field. Form-wide errors (`root.*`) have no link.
 */
export function summaryItemsFrom(
  errors: FieldErrors,
  fieldIdOf: (name: string) => string,
  labelFor?: (name: string) => string,
): SummaryItem[] {
  const itemFor = (path: string[], message: string): SummaryItem => {
    if (path[0] === 'root') return { message };
    const name = path.join('.');
    return { fieldId: fieldIdOf(name), message: labelFor ? `${labelFor(name)}: ${message}` : message };
  };
  const items: SummaryItem[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== 'object') return;
    const { message } = node as { message?: unknown };
    if (typeof message === 'string' && message) {
      items.push(itemFor(path, message));
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'ref' && key !== 'type' && key !== 'types') walk(child, [...path, key]);
    }
  };
  walk(errors, []);
  return items;
}

/**
 * GOV.UK's error summary: at the top of the form, focused when it appears (so screen readers read it and keyboard
 * users start from it), each message a link that moves focus to the field it names. `attempt` changes on every
 * failed submission so a second failure is focused and announced too.
 */
// `focusOnUpdate` takes the value itself: AgDS's useFocus compares it by identity, so an array literal
// (`[attempt]`) is new on every render and pulled focus out of a field after each key typed (found by the
// keyboard-only browser test).
export function ErrorSummary({
  items,
  attempt,
  id = 'error-summary',
}: {
  items: SummaryItem[];
  attempt: number;
  id?: string;
}) {
  if (items.length === 0) return null;
  return (
    <PageAlert tone="error" title="There is a problem" focusOnMount focusOnUpdate={String(attempt)} id={id}>
      {/* Links a line apart are closer than WCAG 2.2's 24px target spacing (2.5.8, axe target-size): a gap between. */}
      <ul css={{ margin: 0, paddingLeft: '1.25rem', '& > li + li': { marginTop: '0.5rem' } }}>
        {items.map((item) => (
          <li key={`${item.fieldId ?? 'form'}:${item.message}`}>
            {item.fieldId ? (
              <a href={`#${item.fieldId}`} onClick={(event) => focusField(event, item.fieldId)}>
                {item.message}
              </a>
            ) : (
              <Text>{item.message}</Text>
            )}
          </li>
        ))}
      </ul>
    </PageAlert>
  );
}

/** Moves focus to the field (the link's default jump would scroll but leave focus on the link). */
function focusField(event: MouseEvent<HTMLAnchorElement>, fieldId: string | undefined): void {
  const field = fieldId ? document.getElementById(fieldId) : null;
  if (!field) return;
  event.preventDefault();
  field.scrollIntoView({ block: 'center' });
  field.focus();
}
