/** Signs the portal's own access tokens (machine clients); its public keys are the portal's JWKS. */
export interface AccessTokenSigner {
  sign(claims: Record<string, unknown>): Promise<string>;
}
