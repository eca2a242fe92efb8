import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import type { SigningKey } from '../../api/types';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { DateTimeField, TextareaField } from '../form/fields';
import { fromZonedInputValue } from '../form/zoned-date-time';
import { userTimeZone } from '../notice-format';
import { adminKeys } from './admin-queries';
import { useAdminCommand } from './use-admin-command';

/** Revoke a key from an effective time (now by default; earlier for a compromise), with the reason. */
export function RevokeKey({ signingKey }: { signingKey: SigningKey }) {
  const formId = `revoke-key-${signingKey.kid}`;
  const zone = userTimeZone();
  const schema = z.object({
    effectiveAt: z
      .string()
      .refine((v) => v === '' || fromZonedInputValue(v, zone) !== undefined, 'Enter a date and time'),
    reason: z.string().trim().min(3, 'Enter the reason (at least 3 characters)'),
  });
  type Values = z.infer<typeof schema>;
  const form = useDialogForm<Values>({ resolver: zodResolver(schema), defaultValues: { effectiveAt: '', reason: '' } });
  const revoke = useAdminCommand(
    (api, v: Values, headers) =>
      unwrap(
        api.POST('/platforms/{platformId}/signing-keys/{kid}/revoke', {
          params: { path: { platformId: signingKey.platformId, kid: signingKey.kid } },
          headers,
          body: {
            effectiveAt: v.effectiveAt ? fromZonedInputValue(v.effectiveAt, zone) : undefined,
            reason: v.reason.trim(),
          },
        }),
      ),
    [adminKeys.signingKeys(signingKey.platformId)],
    (key) => `Signing key ${key.kid} revoked.`,
  );
  return (
    <CommandDialog
      triggerLabel={`Revoke key ${signingKey.label ?? signingKey.kid.slice(0, 8)}`}
      title="Revoke this signing key"
      confirmLabel="Revoke key"
      form={form}
      formId={formId}
      labels={{ effectiveAt: 'Effective from', reason: 'Reason' }}
      onConfirm={revoke}
      intro={
        <Text as="p">
          Signatures made with key {signingKey.kid} at or after the effective time are refused. This cannot be undone.
        </Text>
      }
    >
      <DateTimeField
        form={form}
        formId={formId}
        name="effectiveAt"
        label="Effective from"
        timeZone={zone}
        hint="Defaults to now; set an earlier time if the key was compromised."
      />
      <TextareaField form={form} formId={formId} name="reason" label="Reason" required />
    </CommandDialog>
  );
}
