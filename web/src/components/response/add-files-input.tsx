import { visuallyHiddenStyles } from '@ag.ds-next/react/a11y';
import { Button } from '@ag.ds-next/react/button';
import { Field } from '@ag.ds-next/react/field';
import { useRef } from 'react';

/**
 * AgDS FileInput's look (label, hint, a "Select files" button in front of a hidden native input) without its own
 * "No files selected" line. That line only knows the input's latest pick, and the files step clears the input after
 * every pick so files can be added in batches, so it said "No files selected" under a list of three. Here the list
 * of chosen files is the only status shown, and the button's name says how many it holds.
 */
export function AddFilesInput({
  label,
  name,
  hint,
  chosen,
  disabled,
  onAdd,
}: {
  label: string;
  name: string;
  hint: string;
  /** How many files the list below holds. */
  chosen: number;
  disabled?: boolean;
  onAdd: (files: File[]) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const status = chosen === 0 ? 'no files chosen yet' : chosen === 1 ? '1 file chosen' : `${chosen} files chosen`;
  return (
    <Field label={label} hint={hint} message={undefined} hideOptionalLabel>
      {(a11y) => (
        <>
          <div>
            {/* A button, not the native control, so every browser announces the same words (as AgDS does). */}
            <Button
              ref={button}
              id={a11y.id}
              aria-describedby={a11y['aria-describedby']}
              aria-label={`Select files, ${label}, ${status}`}
              variant="secondary"
              disabled={disabled}
              onClick={() => input.current?.click()}
            >
              Select files
            </Button>
          </div>
          <input
            ref={input}
            type="file"
            name={name}
            multiple
            disabled={disabled}
            aria-hidden
            tabIndex={-1}
            css={visuallyHiddenStyles}
            onFocus={() => button.current?.focus()}
            onChange={(event) => {
              const files = Array.from(event.currentTarget.files ?? []);
              // Cleared so the same file can be picked again after it is removed from the list.
              event.currentTarget.value = '';
              if (files.length > 0) onAdd(files);
            }}
          />
        </>
      )}
    </Field>
  );
}
