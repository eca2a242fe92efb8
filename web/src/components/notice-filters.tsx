import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { Checkbox } from '@ag.ds-next/react/checkbox';
import { Columns } from '@ag.ds-next/react/columns';
import { Select } from '@ag.ds-next/react/select';
import { Stack } from '@ag.ds-next/react/stack';
import { TextInput } from '@ag.ds-next/react/text-input';
import { TextLink } from '@ag.ds-next/react/text-link';
import { type FormEvent, useEffect, useState } from 'react';
import type { NoticeStatus } from '../api/types';
import { STATUS_LABELS } from './notice-format';
import { noticesHref } from './notice-links';
import { type NoticeListSearch, withoutPaging } from './notice-list-search';
import type { NoticeType, Platform } from './reference-data';

interface Draft {
  status: string;
  platformId: string;
  type: string;
  dueAfter: string;
  dueBefore: string;
  due: string;
  order: string;
  extension: boolean;
}

function draftFrom(search: NoticeListSearch): Draft {
  return {
    status: search.status ?? '',
    platformId: search.platformId ?? '',
    type: search.type ?? '',
    dueAfter: search.dueAfter ?? '',
    dueBefore: search.dueBefore ?? '',
    due: search.due ?? '',
    order: search.order ?? 'asc',
    extension: search.extension === 'requested',
  };
}

/**
 * The table's filters. Nothing changes until "Apply filters": each application is one history entry, so the
 * back button steps back through the views, and keyboard users are not re-fetching on every keystroke.
 */
export function NoticeFilters({
  search,
  platforms,
  types,
  onApply,
}: {
  search: NoticeListSearch;
  platforms: Platform[] | undefined;
  types: NoticeType[] | undefined;
  onApply: (next: NoticeListSearch) => void;
}) {
  const [draft, setDraft] = useState(() => draftFrom(search));
  // The back button changes the address: the fields follow it.
  useEffect(() => setDraft(draftFrom(search)), [search]);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply({
      ...withoutPaging(search),
      status: (draft.status || undefined) as NoticeStatus | undefined,
      platformId: draft.platformId || undefined,
      type: draft.type || undefined,
      dueAfter: draft.dueAfter || undefined,
      dueBefore: draft.dueBefore || undefined,
      due: (draft.due || undefined) as NoticeListSearch['due'],
      // Soonest first is the default, so it stays out of the address.
      order: draft.order === 'desc' ? 'desc' : undefined,
      extension: draft.extension ? 'requested' : undefined,
    });
  };
  return (
    <form onSubmit={submit} aria-label="Filter notices">
      <Stack gap={1.5}>
        <Columns cols={{ xs: 1, sm: 2, lg: 3 }} gap={1.5}>
          <Select
            label="Status"
            placeholder="Any status"
            value={draft.status}
            onChange={(e) => set({ status: e.target.value })}
            options={Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }))}
            block
          />
          {platforms && (
            <Select
              label="Platform"
              placeholder="Any platform"
              value={draft.platformId}
              onChange={(e) => set({ platformId: e.target.value })}
              options={platforms.map((p) => ({ value: p.platformId, label: p.legalName }))}
              block
            />
          )}
          <Select
            label="Type"
            placeholder="Any type"
            value={draft.type}
            onChange={(e) => set({ type: e.target.value })}
            options={(types ?? []).map((t) => ({ value: t.id, label: t.label }))}
            block
          />
          <TextInput
            label="Due on or after"
            hint="A date, in your time zone"
            type="date"
            value={draft.dueAfter}
            onChange={(e) => set({ dueAfter: e.target.value })}
            block
          />
          <TextInput
            label="Due before"
            hint="A date, in your time zone"
            type="date"
            value={draft.dueBefore}
            onChange={(e) => set({ dueBefore: e.target.value })}
            block
          />
          <Select
            label="Due time"
            placeholder="Any due time"
            value={draft.due}
            onChange={(e) => set({ due: e.target.value })}
            options={[
              { value: 'overdue', label: 'Overdue (response still owed)' },
              { value: 'next-7-days', label: 'Due in the next 7 days' },
            ]}
            block
          />
          <Select
            label="Order"
            value={draft.order}
            onChange={(e) => set({ order: e.target.value })}
            options={[
              { value: 'asc', label: 'Soonest due first' },
              { value: 'desc', label: 'Latest due first' },
            ]}
            block
          />
        </Columns>
        <Checkbox checked={draft.extension} onChange={(e) => set({ extension: e.target.checked })}>
          Only notices with an extension request awaiting a decision
        </Checkbox>
        <ButtonGroup>
          <Button type="submit">Apply filters</Button>
          <TextLink href={noticesHref({})}>Clear filters</TextLink>
        </ButtonGroup>
      </Stack>
    </form>
  );
}
