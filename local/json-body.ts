/** A JSON request body: `{}` when empty, undefined when it is not JSON (the zod schema then says what is wrong). */
export function parseJson(body: Buffer): unknown {
  try {
    return body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    return undefined;
  }
}
