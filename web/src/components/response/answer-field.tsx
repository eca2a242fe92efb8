import { Checkbox } from '@ag.ds-next/react/checkbox';
import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { Textarea } from '@ag.ds-next/react/textarea';
import type { UseFormReturn } from 'react-hook-form';
import { fieldId } from '../form/error-summary';
import type { AnswerFormValues } from './answer-form';

export const ANSWERS_FORM_ID = 'answers';

/**
 * One numbered question: its text as the notice states it, the answer, and "I cannot answer this question" which
 * swaps the answer for the reason (finalize accepts one or the other). `complete` is the live check's verdict.
 */
export function AnswerField({
  form,
  index,
  number,
  text,
  complete,
}: {
  form: UseFormReturn<AnswerFormValues>;
  index: number;
  number: string;
  text: string;
  complete: boolean;
}) {
  const cannot = form.watch(`answers.${index}.cannot`);
  const state = (name: `answers.${number}.${'text' | 'reason'}`) => {
    const error = form.getFieldState(name, form.formState).error;
    return { invalid: error !== undefined, message: error?.message };
  };
  const headingId = `question-${index}-heading`;
  return (
    <Stack gap={1} as="section" aria-labelledby={headingId}>
      <H2 id={headingId}>Question {number}</H2>
      <Text as="p" css={{ whiteSpace: 'pre-wrap' }}>
        {text}
      </Text>
      {!cannot && (
        <Textarea
          id={fieldId(ANSWERS_FORM_ID, `answers.${index}.text`)}
          label={`Your answer to question ${number}`}
          // Required to file (not to save a draft): AgDS then drops its "(optional)" from the label.
          required
          rows={6}
          block
          {...state(`answers.${index}.text`)}
          {...form.register(`answers.${index}.text`)}
        />
      )}
      <Checkbox {...form.register(`answers.${index}.cannot`)} id={fieldId(ANSWERS_FORM_ID, `answers.${index}.cannot`)}>
        I cannot answer this question
      </Checkbox>
      {cannot && (
        <Textarea
          id={fieldId(ANSWERS_FORM_ID, `answers.${index}.reason`)}
          label={`Why you cannot answer question ${number}`}
          hint="The regulator sees this reason. At least 10 characters."
          required
          rows={4}
          block
          {...state(`answers.${index}.reason`)}
          {...form.register(`answers.${index}.reason`)}
        />
      )}
      <Text fontSize="sm" color={complete ? 'text' : 'muted'}>
        {complete ? 'Complete' : 'Not complete yet'}
      </Text>
    </Stack>
  );
}
