import { z } from 'zod';

/**
 * Zod compiles object parsers with `new Function` when it can, and probes for that with a caught `Function('')`.
 * Under the portal's CSP (script-src 'self', no 'unsafe-eval') the probe is refused, and the refusal is reported as
 * a securitypolicyviolation even though zod swallows the error — noise in every CSP report, and a real violation.
 * jitless parsing skips the probe; it must be set before the first schema is used, so main.tsx imports this first.
 */
z.config({ jitless: true });
