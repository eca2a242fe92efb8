import { Checkbox } from '@ag.ds-next/react/checkbox';
import { ControlGroup } from '@ag.ds-next/react/control-group';
import { Controller, useFormContext } from 'react-hook-form';
import { fieldIdFor } from './form-errors';
import type { NoticeFormValues } from './notice-form-values';
import type { Platform } from './reference-data';

/**
 * The platforms to give the notice to: onboarded (active) ones only. Choosing several makes one notice each,
 * issued one by one (see notice-batch-store.ts).
 */
export function PlatformPicker({ platforms }: { platforms: Platform[] }) {
  const { control } = useFormContext<NoticeFormValues>();
  const active = platforms.filter((p) => p.status === 'active');
  return (
    <Controller
      control={control}
      name="platformIds"
      render={({ field, fieldState }) => (
        <ControlGroup
          label="Platforms"
          hint="Choose one, or several to give each the same notice (one notice per platform)."
          required
          block
          id={`${fieldIdFor('platformIds')}-group`}
          invalid={Boolean(fieldState.error)}
          message={fieldState.error?.message}
        >
          {active.map((platform, index) => (
            <Checkbox
              key={platform.platformId}
              // The first box carries the field's id, so the error summary's link lands on the group. The others
              // must not be given `id={undefined}`: that would replace the id their label points at.
              {...(index === 0 ? { id: fieldIdFor('platformIds'), ref: field.ref } : {})}
              checked={field.value.includes(platform.platformId)}
              onBlur={field.onBlur}
              onChange={(event) =>
                field.onChange(
                  event.target.checked
                    ? [...field.value, platform.platformId]
                    : field.value.filter((id) => id !== platform.platformId),
                )
              }
            >
              {platform.legalName} ({platform.platformId})
            </Checkbox>
          ))}
        </ControlGroup>
      )}
    />
  );
}
