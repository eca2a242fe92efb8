import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { H2 } from '@ag.ds-next/react/heading';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { applyApiErrors } from '../form/api-field-errors';
import { ErrorSummary, fieldId, summaryItemsFrom } from '../form/error-summary';
import { TextField } from '../form/fields';
import { describeActor } from '../notice/event-description';
import { formatInZone } from '../notice-format';
import type { DraftSigner, ResponseDraft } from './draft-types';
import { useSaveResponseDraft } from './use-response-draft';

const FORM_ID = 'signer';
/** The check page's "Continue to signing" link: focus moves there once the response is marked ready. */
export const CONTINUE_TO_SIGNING_ID = 'continue-to-signing';
const LABELS = { name: 'Full name', title: 'Job title', email: 'Email address' };

const SignerSchema = z.object({
  name: z.string().trim().min(1, 'Enter the full name of the person who signs the response').max(200),
  title: z.string().trim().max(200, 'Job title must be 200 characters or fewer'),
  email: z.union([z.literal(''), z.email('Enter an email address in the correct format, like name@example.com')]),
});
type SignerValues = z.infer<typeof SignerSchema>;

const signerFrom = (v: SignerValues): DraftSigner => ({
  name: v.name.trim(),
  ...(v.title.trim() ? { title: v.title.trim() } : {}),
  ...(v.email.trim() ? { email: v.email.trim() } : {}),
});

/**
 * Who signs: their name, title and e-mail as the manifest will state them, saved in the shared draft. "Mark as
 * ready for signing" also records that the preparer has finished, so a colleague can sign and file it. Once it is
 * marked, the form says so (by whom, when) instead of offering the mark again, and signing is the next step.
 */
export function SignerForm({
  noticeId,
  draft,
  complete,
  timeZone,
  onSaved,
}: {
  noticeId: string;
  draft: ResponseDraft;
  /** The answers and files pass the checks: only then can it be marked ready. */
  complete: boolean;
  /** The zone the mark's time is shown in (the notice's, as elsewhere on the check page). */
  timeZone: string;
  onSaved: (message: string) => void;
}) {
  const { save } = useSaveResponseDraft(noticeId);
  const [intent, setIntent] = useState<'ready' | 'save'>('ready');
  const form = useForm<SignerValues>({
    resolver: zodResolver(SignerSchema),
    defaultValues: {
      name: draft.signer?.name ?? '',
      title: draft.signer?.title ?? '',
      email: draft.signer?.email ?? '',
    },
    shouldFocusError: false,
  });
  const submit = form.handleSubmit(async (values) => {
    try {
      const ready = intent === 'ready';
      await save({ signer: signerFrom(values), readyForSigning: ready });
      onSaved(ready ? 'Marked as ready for signing.' : 'Signer details saved.');
      if (ready) setMoveOn(true);
    } catch (error) {
      applyApiErrors(error, form, LABELS, (path) => path.replace(/^signer\./, ''));
    }
  });
  const { errors, submitCount, isSubmitting } = form.formState;
  const marked = draft.readyForSigning;
  // The button just pressed is gone once the mark shows: keep the keyboard user's place on the next step. An effect,
  // so the link (rendered by the check page from the same draft) is on the page when focus moves.
  const [moveOn, setMoveOn] = useState(false);
  useEffect(() => {
    if (!moveOn || !marked) return;
    setMoveOn(false);
    document.getElementById(CONTINUE_TO_SIGNING_ID)?.focus();
  }, [moveOn, marked]);
  return (
    <form id={FORM_ID} noValidate onSubmit={(e) => void submit(e)}>
      <Stack gap={1.5} as="section" aria-labelledby="signer-heading">
        <H2 id="signer-heading">Who signs the response</H2>
        <ErrorSummary
          items={summaryItemsFrom(errors, (name) => fieldId(FORM_ID, name))}
          attempt={submitCount}
          id="signer-errors"
        />
        <Text as="p">
          The person who signs states that the response is true and complete. They need a signing key registered for
          your platform. They can be you, or a colleague who signs after you mark the response ready.
        </Text>
        <TextField form={form} formId={FORM_ID} name="name" label={LABELS.name} required autoComplete="name" />
        <TextField form={form} formId={FORM_ID} name="title" label={LABELS.title} autoComplete="organization-title" />
        <TextField form={form} formId={FORM_ID} name="email" label={LABELS.email} type="email" autoComplete="email" />
        {marked && (
          <Text as="p" fontWeight="bold">
            Ready for signing, marked by {describeActor(marked.by)} at {formatInZone(marked.at, timeZone)}. Saving the
            signer details again withdraws the mark.
          </Text>
        )}
        <ButtonGroup>
          {complete && !marked && (
            <Button
              type="submit"
              loading={isSubmitting && intent === 'ready'}
              loadingLabel="Saving"
              onClick={() => setIntent('ready')}
            >
              Mark as ready for signing
            </Button>
          )}
          <Button
            type="submit"
            variant={complete || marked ? 'secondary' : 'primary'}
            loading={isSubmitting && intent === 'save'}
            loadingLabel="Saving"
            onClick={() => setIntent('save')}
          >
            Save signer details
          </Button>
        </ButtonGroup>
      </Stack>
    </form>
  );
}
