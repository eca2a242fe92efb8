import { Select, type SelectProps } from '@ag.ds-next/react/select';
import { TextInput } from '@ag.ds-next/react/text-input';
import { Textarea } from '@ag.ds-next/react/textarea';
import type { FieldPath, FieldValues, UseFormReturn } from 'react-hook-form';
import { fieldId } from './error-summary';

/**
 * AgDS fields bound to a react-hook-form form: each has the id the error summary links to, its label, its hint,
 * and the message of its error (the form's own check or the API's) shown next to it.
 */
interface FieldProps<T extends FieldValues> {
  form: UseFormReturn<T>;
  formId: string;
  name: FieldPath<T>;
  label: string;
  hint?: string;
  required?: boolean;
}

function errorOf<T extends FieldValues>(form: UseFormReturn<T>, name: FieldPath<T>) {
  const { error } = form.getFieldState(name, form.formState);
  return { invalid: error !== undefined, message: error?.message };
}

export function TextField<T extends FieldValues>({
  form,
  formId,
  name,
  label,
  hint,
  required,
  type,
  autoComplete,
  block = true,
}: FieldProps<T> & { type?: string; autoComplete?: string; block?: boolean }) {
  return (
    <TextInput
      id={fieldId(formId, name)}
      label={label}
      hint={hint}
      required={required}
      type={type}
      autoComplete={autoComplete}
      block={block}
      maxWidth="xl"
      {...errorOf(form, name)}
      {...form.register(name)}
    />
  );
}

export function TextareaField<T extends FieldValues>({
  form,
  formId,
  name,
  label,
  hint,
  required,
  rows = 4,
}: FieldProps<T> & { rows?: number }) {
  return (
    <Textarea
      id={fieldId(formId, name)}
      label={label}
      hint={hint}
      required={required}
      rows={rows}
      block
      maxWidth="xl"
      {...errorOf(form, name)}
      {...form.register(name)}
    />
  );
}

/** A due time, typed as clocks read in the notice's time zone (a `datetime-local` input; see zoned-date-time.ts). */
export function DateTimeField<T extends FieldValues>({
  timeZone,
  hint,
  ...props
}: FieldProps<T> & { timeZone: string }) {
  const zoneHint = `In ${timeZone} time.`;
  return <TextField {...props} type="datetime-local" hint={hint ? `${hint} ${zoneHint}` : zoneHint} block={false} />;
}

export function SelectField<T extends FieldValues>({
  form,
  formId,
  name,
  label,
  hint,
  required,
  options,
  placeholder,
}: FieldProps<T> & { options: SelectProps['options']; placeholder?: string }) {
  return (
    <Select
      id={fieldId(formId, name)}
      label={label}
      hint={hint}
      required={required}
      options={options}
      placeholder={placeholder}
      block
      maxWidth="xl"
      {...errorOf(form, name)}
      {...form.register(name)}
    />
  );
}
