import { useEffect, useRef } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import type { NoticeFormValues } from './notice-form-values';
import type { NoticeType } from './reference-data';

/**
 * Choosing a type fills in its legal basis and consequences — unless the officer has written their own, which a
 * change of type never overwrites. A type without a clock cannot have an explicit due time.
 */
export function useTypeDefaults(form: UseFormReturn<NoticeFormValues>, types: NoticeType[] | undefined): void {
  const typeId = form.watch('type');
  const previous = useRef<NoticeType | undefined>(undefined);
  useEffect(() => {
    const type = types?.find((t) => t.id === typeId);
    if (!type) return;
    const before = previous.current;
    previous.current = type;
    if (before?.id === type.id) return;
    const fill = (name: 'legalBasis' | 'consequences') => {
      const current = form.getValues(name).trim();
      if (!current || current === before?.[name]) form.setValue(name, type[name], { shouldDirty: true });
    };
    fill('legalBasis');
    fill('consequences');
    if (!type.clock) form.setValue('dueMode', 'rule');
  }, [typeId, types, form]);
}
