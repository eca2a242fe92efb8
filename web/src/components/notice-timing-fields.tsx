import { ControlGroup } from '@ag.ds-next/react/control-group';
import { Fieldset } from '@ag.ds-next/react/fieldset';
import { FormStack } from '@ag.ds-next/react/form-stack';
import { Radio } from '@ag.ds-next/react/radio';
import { Select } from '@ag.ds-next/react/select';
import { TextInput } from '@ag.ds-next/react/text-input';
import { useMemo } from 'react';
import { useFormContext } from 'react-hook-form';
import { fieldIdFor } from './form-errors';
import type { NoticeFormValues } from './notice-form-values';
import { useTextField } from './notice-requirements-fields';
import type { NoticeType } from './reference-data';
import { timeZoneNames } from './zoned-time';

/** Where and when: the zone and jurisdiction the clock is read in, and the type's clock or an explicit due time. */
export function NoticeTimingFields({ type }: { type: NoticeType | undefined }) {
  const { register, watch } = useFormContext<NoticeFormValues>();
  const field = useTextField();
  const zones = useMemo(() => timeZoneNames().map((z) => ({ value: z, label: z })), []);
  const dueMode = watch('dueMode');
  const timeZone = watch('timeZone');
  return (
    <Fieldset legend="Time zone, place and due time">
      <FormStack>
        <Select
          label="Time zone"
          hint="The notice's days and due time are read in this zone"
          required
          options={zones}
          {...field('timeZone')}
        />
        <TextInput
          label="Country"
          hint="Whose public holidays count: a two-letter code such as AU"
          required
          maxWidth="sm"
          {...field('country')}
        />
        <TextInput
          label="State or territory"
          hint="A code such as NSW, VIC or ACT; empty for national holidays only"
          maxWidth="sm"
          {...field('state')}
        />
        {type?.clock !== null && (
          <ControlGroup label="Due time" block required>
            <Radio value="rule" {...register('dueMode')} checked={dueMode === 'rule'}>
              Work it out from the type's clock when the notice is issued
            </Radio>
            <Radio
              value="explicit"
              {...register('dueMode')}
              checked={dueMode === 'explicit'}
              id={fieldIdFor('dueMode')}
            >
              Set a due time
            </Radio>
          </ControlGroup>
        )}
        {type?.clock !== null && dueMode === 'explicit' && (
          <TextInput
            label="Due date and time"
            hint={`In ${timeZone}`}
            type="datetime-local"
            required
            {...field('dueAtLocal')}
          />
        )}
      </FormStack>
    </Fieldset>
  );
}
