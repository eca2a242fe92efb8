import { Fieldset } from '@ag.ds-next/react/fieldset';
import { FormStack } from '@ag.ds-next/react/form-stack';
import { TextInput } from '@ag.ds-next/react/text-input';
import { Textarea } from '@ag.ds-next/react/textarea';
import { type UseFormReturn, useFormContext } from 'react-hook-form';
import { fieldIdFor } from './form-errors';
import type { NoticeFormValues } from './notice-form-values';
import { QuestionsEditor } from './questions-editor';
import type { NoticeType } from './reference-data';

type FieldName = Parameters<ReturnType<typeof useFormContext<NoticeFormValues>>['register']>[0];

/** A registered text field's props: its id (for the error summary), invalid state and message. */
export function textField(form: UseFormReturn<NoticeFormValues>, name: FieldName) {
  const error = name
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], form.formState.errors) as
    | { message?: string }
    | undefined;
  return { id: fieldIdFor(name), invalid: Boolean(error?.message), message: error?.message, ...form.register(name) };
}

/** `textField` for the form in context. */
export function useTextField() {
  const form = useFormContext<NoticeFormValues>();
  return (name: FieldName) => textField(form, name);
}

/** What the notice requires, as its type demands: numbered questions, an action, or payment details. */
export function NoticeRequirementsFields({ type }: { type: NoticeType }) {
  const field = useTextField();
  if (type.demands === 'answers') return <QuestionsEditor />;
  if (type.demands === 'action') {
    return (
      <Textarea
        label="Required action"
        hint="What the platform must do, e.g. remove the material at …"
        required
        block
        {...field('requiredAction')}
      />
    );
  }
  if (type.demands !== 'payment') return null;
  return (
    <Fieldset
      legend="Infringement details"
      hint="What an infringement notice must state (Regulatory Powers Act s 104)."
    >
      <FormStack>
        <TextInput label="Provision contravened" required block {...field('infringement.provisionContravened')} />
        <TextInput
          label="Maximum penalty (AUD)"
          hint="For example 782500.00"
          inputMode="decimal"
          required
          {...field('infringement.maximumPenalty')}
        />
        <TextInput
          label="Amount payable (AUD)"
          hint="For example 16500.00"
          inputMode="decimal"
          required
          {...field('infringement.amountPayable')}
        />
        <Textarea
          label="Place for payment"
          hint="Where and how payment is made"
          required
          block
          {...field('infringement.paymentPlace')}
        />
        <TextInput
          label="Overdue notice this follows from"
          hint="Its notice id (ntc_…). Leave empty and describe the contravention below if there is none in this portal."
          block
          {...field('infringement.relatedNoticeId')}
        />
        <Textarea
          label="Contravention"
          hint="At least 20 characters; needed when no overdue notice is given"
          block
          {...field('infringement.contraventionDescription')}
        />
        <TextInput label="Contravention began" hint="A date" type="date" {...field('infringement.occurredFrom')} />
      </FormStack>
    </Fieldset>
  );
}
