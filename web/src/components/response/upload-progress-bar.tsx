import { boxPalette } from '@ag.ds-next/react/core';

/**
 * A progress bar in AgDS colours. role=progressbar with the value as a percentage and a text that says what
 * it means ("36 MB of 80 MB"), so a screen reader asked about it hears more than a number; the live region
 * (UploadAnnouncer) does the speaking on its own.
 */
export function UploadProgressBar({
  label,
  value,
  valueText,
  tone = 'action',
  testId,
}: {
  label: string;
  /** 0–100. */
  value: number;
  valueText: string;
  tone?: 'action' | 'success' | 'error';
  testId?: string;
}) {
  const fill =
    tone === 'success'
      ? boxPalette.systemSuccess
      : tone === 'error'
        ? boxPalette.systemError
        : boxPalette.foregroundAction;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
      aria-valuetext={valueText}
      data-testid={testId}
      css={{
        height: '0.75rem',
        width: '100%',
        borderRadius: '0.375rem',
        backgroundColor: boxPalette.backgroundShade,
        border: `1px solid ${boxPalette.border}`,
        overflow: 'hidden',
      }}
    >
      <div
        css={{
          height: '100%',
          width: `${value}%`,
          backgroundColor: fill,
          transition: 'width 200ms linear',
          '@media (prefers-reduced-motion: reduce)': { transition: 'none' },
        }}
      />
    </div>
  );
}
