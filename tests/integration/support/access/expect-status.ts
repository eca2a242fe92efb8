import type { Response } from '../portal-harness';

/** A fixture step that did not get the status it needs stops the set-up, saying which step and what came back. */
export function expectStatus(response: Response, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`Fixture step "${what}" answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
}
