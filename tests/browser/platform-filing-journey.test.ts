import { platformFilingJourney } from './support/platform-filing-journey';

/**
 * The platform's whole filing in the browser (tests/browser/support/platform-filing-journey.ts). The page states
 * another file in `npm test` scans are recorded as covered by it here; the long twin,
 * platform-filing-journey.long.test.ts, scans them in this journey too.
 */
platformFilingJourney({ scanCoveredStates: false });
