import { Text } from '@ag.ds-next/react/text';
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { z } from 'zod';
import { unwrap } from '../../api/api-error';
import { CommandDialog, useDialogForm } from '../form/command-dialog';
import { DateTimeField, TextareaField, TextField } from '../form/fields';
import { fromZonedInputValue } from '../form/zoned-date-time';
import { userTimeZone } from '../notice-format';
import { adminKeys } from './admin-queries';
import { jwkThumbprint, type ThumbprintResult } from './jwk-thumbprint';
import { useAdminCommand } from './use-admin-command';

const optionalTime = (zone: string) =>
  z.string().refine((v) => v === '' || fromZonedInputValue(v, zone) !== undefined, 'Enter a date and time');

/**
 * Register a platform's public signing key by pasting its JWK. The RFC 7638 thumbprint — the id the key will be
 * registered under, and what the platform's signatures name — is computed here as it is typed, so it can be read
 * back to the platform before anything is sent. Whether the key is acceptable is the API's to say, member by member.
 */
export function RegisterKey({ platformId }: { platformId: string }) {
  const formId = `register-key-${platformId}`;
  const zone = userTimeZone();
  const schema = z.object({
    jwk: z.string().trim().min(1, 'Paste the public key as a JWK'),
    label: z.string(),
    validFrom: optionalTime(zone),
    validUntil: optionalTime(zone),
  });
  type Values = z.infer<typeof schema>;
  const form = useDialogForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { jwk: '', label: '', validFrom: '', validUntil: '' },
  });
  const pasted = form.watch('jwk');
  const [thumbprint, setThumbprint] = useState<ThumbprintResult | undefined>(undefined);
  useEffect(() => {
    let current = true;
    if (!pasted.trim()) setThumbprint(undefined);
    else void jwkThumbprint(pasted).then((result) => current && setThumbprint(result));
    return () => {
      current = false;
    };
  }, [pasted]);
  const register = useAdminCommand(
    (api, v: Values, headers) => {
      let jwk: { kty: string } & Record<string, unknown>;
      try {
        jwk = JSON.parse(v.jwk);
      } catch {
        form.setError('jwk', { type: 'parse', message: 'The key is not JSON: paste the JWK as a JSON object' });
        throw new Error('The key is not JSON.');
      }
      return unwrap(
        api.POST('/platforms/{platformId}/signing-keys', {
          params: { path: { platformId } },
          headers,
          body: {
            jwk,
            label: v.label.trim() || undefined,
            validFrom: v.validFrom ? fromZonedInputValue(v.validFrom, zone) : undefined,
            validUntil: v.validUntil ? fromZonedInputValue(v.validUntil, zone) : undefined,
          },
        }),
      );
    },
    [adminKeys.signingKeys(platformId)],
    (key) => `Signing key ${key.kid} registered.`,
  );
  return (
    <CommandDialog
      triggerLabel="Register a signing key"
      triggerVariant="primary"
      title="Register a signing key"
      confirmLabel="Register key"
      form={form}
      formId={formId}
      labels={{ jwk: 'Key', label: 'Label', validFrom: 'Valid from', validUntil: 'Valid until' }}
      onConfirm={register}
      intro={
        <Text as="p">
          Paste the platform's public key (Ed25519 or P-256) as a JWK. Check the thumbprint with the platform before
          registering: it is the key's id, and responses signed with the key name it.
        </Text>
      }
    >
      <TextareaField
        form={form}
        formId={formId}
        name="jwk"
        label="Key"
        required
        rows={6}
        hint='A JSON object, such as {"kty":"OKP","crv":"Ed25519","x":"…"}.'
      />
      <div aria-live="polite" aria-atomic="true" id={`${formId}-thumbprint`}>
        {thumbprint?.ok && (
          <Text as="p">
            RFC 7638 thumbprint (SHA-256):{' '}
            <strong css={{ overflowWrap: 'anywhere' }} data-testid="jwk-thumbprint">
              {thumbprint.thumbprint}
            </strong>
          </Text>
        )}
        {thumbprint && !thumbprint.ok && (
          <Text as="p" color="muted">
            No thumbprint yet: {thumbprint.problem}
          </Text>
        )}
      </div>
      <TextField
        form={form}
        formId={formId}
        name="label"
        label="Label"
        hint="For example: Legal team signing key 2026."
      />
      <DateTimeField
        form={form}
        formId={formId}
        name="validFrom"
        label="Valid from"
        timeZone={zone}
        hint="Defaults to 5 minutes before now: the difference between clocks the portal allows in a signing time."
      />
      <DateTimeField
        form={form}
        formId={formId}
        name="validUntil"
        label="Valid until"
        timeZone={zone}
        hint="Leave empty for no end."
      />
    </CommandDialog>
  );
}
