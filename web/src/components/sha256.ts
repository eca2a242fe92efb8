/** SHA-256 of the UTF-8 bytes of `text`, with WebCrypto (browsers and Node alike). */
export async function sha256Bytes(text: string): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** The same digest as lower-case hex, the form the API writes hashes in. */
export async function sha256Hex(text: string): Promise<string> {
  return Array.from(await sha256Bytes(text), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
