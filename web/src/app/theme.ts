import type { Theme } from '@ag.ds-next/react/core';
import type { RuntimeConfig } from '../config/runtime-config';

/**
 * A neutral theme for "a regulator": the configured colour on the header (AgDS's dark palette) and for actions,
 * everything else AgDS's accessible defaults. The colour must keep 4.5:1 against white (the config says so).
 */
export function themeFor(branding: RuntimeConfig['branding']): Theme {
  return {
    darkBackgroundBody: branding.primaryColour,
    darkBackgroundBodyAlt: branding.primaryColour,
    darkBackgroundShade: branding.primaryColour,
    lightForegroundAction: branding.primaryColour,
    lightAccent: branding.primaryColour,
    // AgDS's success green (#0b996c) is 3.6:1 on white and white on it: under AA's 4.5:1 as text (axe
    // color-contrast, serious, on the timeline's chain checks and the confirmation panel). GOV.UK's green: 5.9:1.
    lightSystemSuccess: '#00703c',
  };
}
