import { Button } from '@ag.ds-next/react/button';
import { PageContent } from '@ag.ds-next/react/content';
import { Fieldset } from '@ag.ds-next/react/fieldset';
import { FormStack } from '@ag.ds-next/react/form-stack';
import { H1 } from '@ag.ds-next/react/heading';
import { Select } from '@ag.ds-next/react/select';
import { Stack } from '@ag.ds-next/react/stack';
import { Text } from '@ag.ds-next/react/text';
import { TextInput } from '@ag.ds-next/react/text-input';
import { Textarea } from '@ag.ds-next/react/textarea';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createRoute, useNavigate } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { z } from 'zod';
import { useApi } from '../api/api-context';
import { ApiError, describeError, unwrap } from '../api/api-error';
import type { Notice } from '../api/types';
import { DueTimePreview } from '../components/due-time-preview';
import { ErrorSummary, summaryItemsFrom } from '../components/form/error-summary';
import { applyApiIssues, fieldIdFor } from '../components/form-errors';
import { batchForSubmission, finishSubmission, updateItem } from '../components/notice-batch-store';
import {
  EMPTY_NOTICE_FORM,
  explicitDueAt,
  formFieldForApiPath,
  fromNotice,
  jurisdictionOf,
  labelForField,
  type NoticeFormValues,
  noticeFormSchema,
  toCreateDraftRequest,
} from '../components/notice-form-values';
import { NoticeRequirementsFields, textField } from '../components/notice-requirements-fields';
import { NoticeTimingFields } from '../components/notice-timing-fields';
import { NoticeTypeInfo } from '../components/notice-type-info';
import { ErrorState, LoadingState } from '../components/page-states';
import { PlatformPicker } from '../components/platform-picker';
import { useNoticeTypes, usePlatforms } from '../components/reference-data';
import { forgetIdempotencyKey, storedIdempotencyKey } from '../components/stored-idempotency-key';
import { usePersistedForm } from '../components/use-persisted-form';
import { useTypeDefaults } from '../components/use-type-defaults';
import { rootRoute } from './root';

const FORM_KEY = 'notice-new';

export const noticeNewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/notices/new',
  // `from`: the draft whose "Change" link led here. Saving revises that same draft (POST /notices/{id}/draft).
  validateSearch: z.object({ from: z.string().max(64).optional().catch(undefined) }),
  component: NewNotice,
});

function NewNotice() {
  const types = useNoticeTypes();
  const platforms = usePlatforms();
  if (types.isError) return <PageError error={types.error} retry={() => void types.refetch()} />;
  if (platforms.isError) return <PageError error={platforms.error} retry={() => void platforms.refetch()} />;
  if (!types.data || !platforms.data) {
    return (
      <PageContent>
        <H1>Create a notice</H1>
        <LoadingState label="Loading notice types and platforms" />
      </PageContent>
    );
  }
  return <NoticeForm types={types.data} platforms={platforms.data} />;
}

function PageError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <PageContent>
      <Stack gap={2}>
        <H1>Create a notice</H1>
        <ErrorState title="The form could not be loaded" error={error} retry={retry} />
      </Stack>
    </PageContent>
  );
}

function NoticeForm({
  types,
  platforms,
}: {
  types: NonNullable<ReturnType<typeof useNoticeTypes>['data']>;
  platforms: NonNullable<ReturnType<typeof usePlatforms>['data']>;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { from } = noticeNewRoute.useSearch();
  const schema = useMemo(() => noticeFormSchema(types), [types]);
  const form = useForm<NoticeFormValues>({
    resolver: zodResolver(schema),
    defaultValues: EMPTY_NOTICE_FORM,
    // The error summary takes focus (GOV.UK's pattern); react-hook-form's own focus on the first field in error
    // would take it away again, so screen readers never read the summary.
    shouldFocusError: false,
  });
  // A revision is kept apart from a new notice being typed in the same tab.
  const formKey = from ? `${FORM_KEY}:revise:${from}` : FORM_KEY;
  const persisted = usePersistedForm(formKey, form);
  useTypeDefaults(form, types);
  const revising = useFillFromDraft(from, formKey, form);
  const [failure, setFailure] = useState<{ messages: string[]; revision: number }>({ messages: [], revision: 0 });
  const [submitting, setSubmitting] = useState(false);
  const values = form.watch();
  const type = types.find((t) => t.id === values.type);
  const field = (name: Parameters<typeof textField>[1]) => textField(form, name);

  const fail = (messages: string[]) => setFailure((f) => ({ messages, revision: f.revision + 1 }));
  const revise = async (valid: NoticeFormValues, draft: Notice) => {
    const [platformId, ...others] = valid.platformIds;
    if (!platformId || others.length > 0) {
      fail(['A draft is for one platform: choose exactly one (create a new notice to give it to several).']);
      return;
    }
    setSubmitting(true);
    // One key per version revised: a retry after a lost answer gets the first result, not a stale-version 409.
    const keyScope = `revise:${draft.id}:${draft.version}`;
    try {
      const revised = await unwrap(
        api.POST('/notices/{noticeId}/draft', {
          params: { path: { noticeId: draft.id } },
          body: { ...toCreateDraftRequest(valid, platformId, type), expectedVersion: draft.version },
          headers: { 'idempotency-key': storedIdempotencyKey(keyScope) },
        }),
      );
      forgetIdempotencyKey(keyScope);
      persisted.clear();
      queryClient.setQueryData(['notice', revised.id], revised);
      await queryClient.invalidateQueries({ queryKey: ['notices'] });
      await navigate({ to: '/notices/$noticeId/check', params: { noticeId: revised.id } });
    } catch (error) {
      const unplaced = applyApiIssues(error, form, formFieldForApiPath);
      const placed = error instanceof ApiError && error.issues.length > 0;
      const stale = error instanceof ApiError && error.status === 409;
      fail(
        placed
          ? unplaced
          : [
              stale
                ? `The draft was not changed: ${describeError(error)} Reload the page to start from the draft as it is now.`
                : `The draft was not changed: ${describeError(error)} Try again: it is never changed twice.`,
            ],
      );
    } finally {
      setSubmitting(false);
    }
  };
  const save = async (valid: NoticeFormValues) => {
    if (from) {
      if (revising.data) await revise(valid, revising.data);
      else fail(['The draft being changed has not loaded yet; wait a moment and save again.']);
      return;
    }
    setSubmitting(true);
    let batch = batchForSubmission(JSON.stringify(valid), valid.platformIds);
    const first = batch.items[0];
    try {
      if (!first) return;
      const draft = await unwrap(
        api.POST('/notices', {
          body: toCreateDraftRequest(valid, first.platformId, type),
          headers: { 'idempotency-key': first.createKey },
        }),
      );
      batch = updateItem(batch, 0, { noticeId: draft.id, error: undefined });
      finishSubmission();
      persisted.clear();
      await queryClient.invalidateQueries({ queryKey: ['notices'] });
      if (batch.items.length === 1) await navigate({ to: '/notices/$noticeId/check', params: { noticeId: draft.id } });
      else await navigate({ to: '/notices/batch/$batchId', params: { batchId: batch.id } });
    } catch (error) {
      const unplaced = applyApiIssues(error, form, formFieldForApiPath);
      const placed = error instanceof ApiError && error.issues.length > 0;
      fail(placed ? unplaced : [`The draft was not saved: ${describeError(error)} Try again: nothing is saved twice.`]);
    } finally {
      setSubmitting(false);
    }
  };
  const errors = [
    ...summaryItemsFrom(form.formState.errors, fieldIdFor, labelForField),
    ...failure.messages.map((message) => ({ message })),
  ];
  const count = values.platformIds.length;

  return (
    <PageContent>
      <FormProvider {...form}>
        <form noValidate onSubmit={form.handleSubmit(save, () => fail([]))} aria-labelledby="create-notice-heading">
          <Stack gap={3}>
            <H1 id="create-notice-heading">{from ? 'Change the draft' : 'Create a notice'}</H1>
            {from && (
              <Text as="p">
                Saving changes draft <strong>{from}</strong> itself: the change is recorded in its history, and it stays
                the one draft you check and issue.
              </Text>
            )}
            {revising.isError && (
              <ErrorState
                title="The draft being changed could not be loaded"
                error={revising.error}
                retry={() => void revising.refetch()}
              />
            )}
            <ErrorSummary items={errors} attempt={failure.revision} />
            <section id="section-type">
              <FormStack>
                <Select
                  label="Type of notice"
                  required
                  placeholder="Choose a type"
                  maxWidth="xl"
                  options={types.map((t) => ({ value: t.id, label: t.label }))}
                  {...field('type')}
                />
                {type && <NoticeTypeInfo type={type} />}
              </FormStack>
            </section>
            <section id="section-platforms">
              <PlatformPicker platforms={platforms} />
            </section>
            <section id="section-content">
              <Fieldset legend="What the notice says">
                <FormStack>
                  <TextInput label="Title" required block {...field('title')} />
                  <Textarea
                    label="Legal basis"
                    hint="Filled in from the type; change it only if the notice is given under another provision"
                    block
                    {...field('legalBasis')}
                  />
                  {type && <NoticeRequirementsFields type={type} />}
                  <Textarea
                    label="Manner and form"
                    hint="How the platform must respond"
                    required
                    block
                    {...field('mannerAndForm')}
                  />
                  <Textarea
                    label="Consequences"
                    hint="Filled in from the type: what follows if the platform does not comply"
                    block
                    {...field('consequences')}
                  />
                  <Textarea
                    label="Contacts"
                    hint="E-mail addresses the notice is served on, one a line. Leave empty to use each platform's own contacts."
                    block
                    {...field('contacts')}
                  />
                </FormStack>
              </Fieldset>
            </section>
            <section id="section-timing">
              <NoticeTimingFields type={type} />
            </section>
            <DueTimePreview
              request={
                type
                  ? {
                      type: type.id,
                      timeZone: values.timeZone,
                      jurisdiction: jurisdictionOf(values),
                      ...(explicitDueAt(values) ? { dueAt: explicitDueAt(values) } : {}),
                    }
                  : undefined
              }
            />
            <Stack gap={1}>
              <Text as="p">
                {from
                  ? 'This saves your changes to the draft. You check it again before it is issued.'
                  : count > 1
                    ? `This saves ${count} drafts, one for each platform. You check them before anything is issued.`
                    : 'This saves a draft. You check it before it is issued.'}
              </Text>
              <div>
                <Button type="submit" loading={submitting} loadingLabel="Saving">
                  {from ? 'Save changes' : count > 1 ? `Save ${count} drafts` : 'Save as draft'}
                </Button>
              </div>
            </Stack>
          </Stack>
        </form>
      </FormProvider>
    </PageContent>
  );
}

/**
 * "Change" from a saved draft: the draft (its version is what a revision is made from), and the form filled from
 * it unless this tab already holds the changes being typed.
 */
function useFillFromDraft(
  from: string | undefined,
  formKey: string,
  form: ReturnType<typeof useForm<NoticeFormValues>>,
) {
  const api = useApi();
  const draft = useQuery({
    queryKey: ['notice', from],
    queryFn: () => unwrap(api.GET('/notices/{noticeId}', { params: { path: { noticeId: from ?? '' } } })),
    enabled: Boolean(from),
  });
  const loaded = draft.data;
  useEffect(() => {
    if (!loaded || window.sessionStorage.getItem(`form:${formKey}`)) return;
    form.reset(fromNotice(loaded));
  }, [loaded, formKey, form]);
  return draft;
}
