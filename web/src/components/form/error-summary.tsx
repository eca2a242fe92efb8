import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Text } from '@ag.ds-next/react/text';
import { useEffect, useRef } from 'react';
import type { FieldErrors, FieldValues } from 'react-hook-form';

export interface SummaryItem {
  /** The id of the field the message is about; the link moves focus there. Absent for a form-wide problem. */
  fieldId?: string;
  message: string;
}

/** The id a form's field is rendered with, so the error summary can link to it: `<form>-<dotted.path>`. */
export function fieldId(formId: string, name: string): string {
  return `${formId}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** react-hook-form's nested errors as one list, in the order the form declares its fields. */
export function summaryItemsFrom<T extends FieldValues>(formId: string, errors: FieldErrors<T>): SummaryItem[] {
  const items: SummaryItem[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (!node || typeof node !== 'object') return;
    const error = node as { message?: unknown; type?: unknown };
    if (typeof error.message === 'string' && typeof error.type === 'string') {
      if (path[0] === 'root') items.push({ message: error.message });
      else items.push({ fieldId: fieldId(formId, path.join('.')), message: error.message });
      return;
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'ref') walk(child, [...path, key]);
  };
  walk(errors, []);
  return items;
}

/**
 * GOV.UK's error summary: at the top of the form, focused when it appears (so a screen reader announces it and a
 * keyboard user starts there), each problem a link to its field.
 */
export function ErrorSummary({ items, attempt }: { items: SummaryItem[]; attempt: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (attempt > 0 && items.length > 0) ref.current?.focus();
  }, [attempt, items.length]);
  if (items.length === 0) return null;
  return (
    <PageAlert ref={ref} tone="error" title="There is a problem" tabIndex={-1} role="alert">
      <ul css={{ margin: 0, paddingLeft: '1.25rem' }}>
        {items.map((item) => (
          <li key={`${item.fieldId ?? 'form'}:${item.message}`}>
            {item.fieldId ? (
              <a
                href={`#${item.fieldId}`}
                onClick={(event) => {
                  const target = document.getElementById(item.fieldId ?? '');
                  if (!target) return;
                  event.preventDefault();
                  target.focus();
                  target.scrollIntoView({ block: 'center' });
                }}
              >
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
