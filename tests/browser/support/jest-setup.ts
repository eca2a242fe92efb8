// Browser journeys start a portal and Chromium and walk several pages; jest's per-project testTimeout is not
// honoured by every version, so the files' timeout is set here.
jest.setTimeout(120_000);
