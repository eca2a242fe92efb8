import type { FieldPath, FieldValues, UseFormReturn } from 'react-hook-form';
import { ApiError, describeError } from '../../api/api-error';

/**
 * Puts the API's refusal onto the form: each issue whose dotted path names a field of the form (the field itself
 * or something inside it; `mapPath` translates when the form's names differ from the request's) goes next to that
 * field, prefixed with its label ("Reason must not be empty"); everything else — and any failure that is not a
 * validation error — becomes the form's own message, shown in the error summary.
 */
export function applyApiErrors<T extends FieldValues>(
  error: unknown,
  form: UseFormReturn<T>,
  labels: Partial<Record<FieldPath<T>, string>>,
  mapPath: (path: string) => string = (path) => path,
): void {
  const fields = Object.keys(labels) as FieldPath<T>[];
  const unplaced: string[] = [];
  if (error instanceof ApiError && error.issues.length > 0) {
    for (const issue of error.issues) {
      const mapped = mapPath(issue.path);
      const name = fields
        .filter((field) => mapped === field || mapped.startsWith(`${field}.`))
        .sort((a, b) => b.length - a.length)[0];
      if (name) {
        const inner = mapped === name ? '' : ` (${mapped.slice(name.length + 1)})`;
        form.setError(name, { type: 'server', message: `${labels[name]}${inner} ${issue.message}` });
      } else unplaced.push(`${issue.path || 'The request'}: ${issue.message}`);
    }
    if (unplaced.length === 0) return;
  }
  const message = unplaced.length > 0 ? unplaced.join('; ') : describeError(error);
  form.setError('root.server' as FieldPath<T>, { type: 'server', message });
}
