import { Button, ButtonGroup, type ButtonProps } from '@ag.ds-next/react/button';
import { Modal } from '@ag.ds-next/react/modal';
import { Stack } from '@ag.ds-next/react/stack';
import { type ReactNode, useState } from 'react';
import { type FieldPath, type FieldValues, type UseFormProps, type UseFormReturn, useForm } from 'react-hook-form';
import { usePersistedForm } from '../use-persisted-form';
import { applyApiErrors } from './api-field-errors';
import { ErrorSummary, fieldId, summaryItemsFrom } from './error-summary';

export interface CommandDialogProps<T extends FieldValues> {
  /** The button that opens the dialog; also the dialog's accessible starting point for tests. */
  triggerLabel: string;
  triggerVariant?: ButtonProps['variant'];
  title: string;
  confirmLabel: string;
  /** What will happen, in words, above the fields (GOV.UK: say what the action does before asking to confirm). */
  intro?: ReactNode;
  form: UseFormReturn<T>;
  formId: string;
  /** Every field of the form with its label: the API's errors are placed against these names. */
  labels: Partial<Record<FieldPath<T>, string>>;
  /** Request path → form field name, when the form's names differ from the request's. */
  mapPath?: (path: string) => string;
  /** Sends the command; throws the ApiError the API answered with. */
  onConfirm: (values: T) => Promise<void>;
  children?: ReactNode;
}

/**
 * One command on a record: a button that opens a dialog saying what will happen, with its fields, an error summary
 * and the API's field errors next to the fields, and a confirm button. Nothing is sent until confirmed; the dialog
 * closes only when the API has recorded it. What was typed survives a session that ends (usePersistedForm).
 */
export function CommandDialog<T extends FieldValues>({
  triggerLabel,
  triggerVariant = 'secondary',
  title,
  confirmLabel,
  intro,
  form,
  formId,
  labels,
  mapPath,
  onConfirm,
  children,
}: CommandDialogProps<T>) {
  const [open, setOpen] = useState(false);
  const persisted = usePersistedForm(formId, form);
  const submit = form.handleSubmit(async (values) => {
    try {
      await onConfirm(values);
      form.reset();
      persisted.clear();
      setOpen(false);
    } catch (error) {
      applyApiErrors(error, form, labels, mapPath);
    }
  });
  const close = () => {
    form.clearErrors();
    setOpen(false);
  };
  const { isSubmitting, submitCount, errors } = form.formState;
  return (
    <>
      <Button variant={triggerVariant} onClick={() => setOpen(true)}>
        {triggerLabel}
      </Button>
      <Modal
        isOpen={open}
        title={title}
        onClose={close}
        actions={
          <ButtonGroup>
            <Button type="submit" form={formId} loading={isSubmitting} loadingLabel="Sending">
              {confirmLabel}
            </Button>
            <Button variant="tertiary" onClick={close}>
              Cancel
            </Button>
          </ButtonGroup>
        }
      >
        <form id={formId} noValidate onSubmit={(event) => void submit(event)}>
          <Stack gap={1.5}>
            <ErrorSummary
              items={summaryItemsFrom(errors, (name) => fieldId(formId, name))}
              attempt={submitCount}
              id={`${formId}-errors`}
            />
            {intro}
            {children}
          </Stack>
        </form>
      </Modal>
    </>
  );
}

/**
 * The form of a CommandDialog. After a failed submit the dialog's error summary takes focus (GOV.UK's pattern, as
 * on the create form); react-hook-form's own focus on the first field in error would take it away again.
 */
export function useDialogForm<T extends FieldValues>(props: UseFormProps<T>): UseFormReturn<T> {
  return useForm<T>({ ...props, shouldFocusError: false });
}
