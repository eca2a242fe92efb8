import { z } from 'zod';

/**
 * The app's run-time configuration, fetched from `/config.json` before anything renders, so one build serves
 * every stage: the local portal writes it from its own address (local/web-app.ts), the CDK app from the stack's
 * Cognito and distribution (lib/constructs/web-hosting.ts). Browser-safe (zod only).
 */
export const RuntimeConfigSchema = z
  .object({
    /** Where the API is, relative to the app's origin: `/api` locally and behind CloudFront. */
    apiBaseUrl: z.string().min(1),
    oidc: z
      .object({
        /** The issuer; its `/.well-known/openid-configuration` names the authorize and token endpoints. */
        authority: z.url(),
        clientId: z.string().min(1),
        /** Path on the app's origin the identity provider sends the code back to. */
        redirectPath: z.string().startsWith('/'),
        /**
         * Cognito's logout endpoint (not advertised in its discovery document): the app sends the browser there
         * with `client_id` and `logout_uri`.
         */
        logoutUrl: z.url(),
        /** Path on the app's origin that the identity provider's logout returns to. */
        postLogoutPath: z.string().startsWith('/'),
        scope: z.string().min(1),
      })
      .strict(),
    branding: z
      .object({
        regulatorName: z.string().min(1),
        productName: z.string().min(1),
        /** A CSS colour for the header and primary actions; must keep 4.5:1 contrast with white text. */
        primaryColour: z.string().regex(/^#[0-9a-fA-F]{6}$/),
        /** Path on the app's origin, or omitted for a text-only header. */
        logoPath: z.string().startsWith('/').optional(),
      })
      .strict(),
    /** The local developer panel (outbox, clock). Never true in a deployed stage, whose build omits the panel. */
    developerPanel: z.boolean(),
  })
  .strict();

export type RuntimeConfig = z.infer<typeof RuntimeConfigSchema>;
