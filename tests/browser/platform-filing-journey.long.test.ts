import { platformFilingJourney } from './support/platform-filing-journey';

/**
 * `npm run test:long`'s twin of platform-filing-journey.test.ts: the same journey, with every page state it shows
 * scanned here, including those `npm test` leaves to the file that also scans them.
 */
platformFilingJourney({ scanCoveredStates: true });
