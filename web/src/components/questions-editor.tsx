import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { Fieldset } from '@ag.ds-next/react/fieldset';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { Textarea } from '@ag.ds-next/react/textarea';
import { useState } from 'react';
import { useFieldArray, useFormContext } from 'react-hook-form';
import { fieldIdFor } from './form-errors';
import type { NoticeFormValues } from './notice-form-values';

/**
 * The notice's numbered questions: add, remove, move up and down. Numbers are positions (1, 2, 3 …) and follow
 * every change; each button names its question ("Move question 2 up"), focus stays with the question that
 * moved, and a polite live region says what happened, since the change is not otherwise announced.
 */
export function QuestionsEditor() {
  const { control, register, formState, setFocus } = useFormContext<NoticeFormValues>();
  const { fields, append, remove, move } = useFieldArray({ control, name: 'questions' });
  const [announcement, setAnnouncement] = useState('');
  const errors = formState.errors.questions;

  const focusLater = (id: string, fallback: () => void) =>
    requestAnimationFrame(() => {
      const element = document.getElementById(id);
      // A button that is now disabled (the top question's "up") cannot take focus: go to the question instead.
      if (element && !(element as HTMLButtonElement).disabled) element.focus();
      else fallback();
    });
  const moveQuestion = (from: number, to: number) => {
    move(from, to);
    const direction = to < from ? 'up' : 'down';
    setAnnouncement(`Question ${from + 1} moved ${direction}. It is now question ${to + 1}.`);
    focusLater(`question-${to}-${direction}`, () => setFocus(`questions.${to}.text`));
  };
  const removeQuestion = (index: number) => {
    remove(index);
    const left = fields.length - 1;
    setAnnouncement(
      `Question ${index + 1} removed. ${left === 0 ? 'There are no questions.' : `There ${left === 1 ? 'is 1 question' : `are ${left} questions`}; they have been renumbered.`}`,
    );
    if (left === 0) focusLater('add-question', () => undefined);
    else setTimeout(() => setFocus(`questions.${Math.min(index, left - 1)}.text`), 0);
  };
  const addQuestion = () => {
    append({ text: '' });
    setAnnouncement(`Question ${fields.length + 1} added.`);
  };

  return (
    <Fieldset legend="Questions" hint="Numbered in the order shown; the platform answers each by its number.">
      <Stack gap={1.5} id={fieldIdFor('questions')} tabIndex={-1}>
        {errors?.message && (
          <Text color="error" fontWeight="bold">
            {errors.message}
          </Text>
        )}
        {fields.map((field, index) => (
          <Stack key={field.id} gap={0.5}>
            <Textarea
              label={`Question ${index + 1}`}
              id={fieldIdFor(`questions.${index}.text`)}
              required
              block
              invalid={Boolean(errors?.[index]?.text)}
              message={errors?.[index]?.text?.message}
              {...register(`questions.${index}.text`)}
            />
            <ButtonGroup>
              <Button
                type="button"
                size="sm"
                variant="tertiary"
                id={`question-${index}-up`}
                disabled={index === 0}
                onClick={() => moveQuestion(index, index - 1)}
              >
                Move question {index + 1} up
              </Button>
              <Button
                type="button"
                size="sm"
                variant="tertiary"
                id={`question-${index}-down`}
                disabled={index === fields.length - 1}
                onClick={() => moveQuestion(index, index + 1)}
              >
                Move question {index + 1} down
              </Button>
              <Button type="button" size="sm" variant="tertiary" onClick={() => removeQuestion(index)}>
                Remove question {index + 1}
              </Button>
            </ButtonGroup>
          </Stack>
        ))}
        <div>
          <Button type="button" variant="secondary" id="add-question" onClick={addQuestion}>
            Add a question
          </Button>
        </div>
        <div role="status" aria-live="polite" aria-atomic="true" data-testid="questions-announcement">
          <Text fontSize="sm" color="muted">
            {announcement}
          </Text>
        </div>
      </Stack>
    </Fieldset>
  );
}
