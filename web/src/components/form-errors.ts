import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { ApiError } from '../api/api-error';

/** The id of a form field's input, from its react-hook-form name: `requirements.questions.0.text` → `field-requirements-questions-0-text`. */
export function fieldIdFor(name: string): string {
  return `field-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/**
 * Puts the API's field errors (a 400's `issues`, dotted paths such as `requirements.questions.0.text`) onto the
 * form fields they name, via `toField` (API path → form field name, or undefined when the form has no such
 * field). Returns the messages no field took, for the error summary.
 */
export function applyApiIssues<T extends FieldValues>(
  error: unknown,
  form: UseFormReturn<T>,
  toField: (apiPath: string) => string | undefined,
): string[] {
  if (!(error instanceof ApiError) || error.issues.length === 0) return [];
  const unplaced: string[] = [];
  for (const issue of error.issues) {
    const name = toField(issue.path);
    if (name) form.setError(name as Path<T>, { type: 'server', message: issue.message }, { shouldFocus: false });
    else unplaced.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return unplaced;
}
