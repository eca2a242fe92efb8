/**
 * Typed failures of the domain. Handlers map each class to one HTTP status; nothing else is ever shown to a
 * client, so a message here must be safe to show and say what to change.
 */

/** One problem with one field of the input, addressed by a dotted path (`requirements.questions.0.text`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
}

/** The input is well-formed JSON but breaks a rule; 400 with one entry per field. */
export class ValidationFailed extends DomainError {
  readonly code = 'validation-failed';
  constructor(
    readonly issues: FieldIssue[],
    message = 'The request has invalid fields.',
  ) {
    super(message);
  }
}

/** Unknown, or belongs to another platform: both are 404 so that a probe learns nothing. */
export class NotFound extends DomainError {
  readonly code = 'not-found';
}

/** The caller is known but their role may not do this; 403. */
export class Forbidden extends DomainError {
  readonly code = 'forbidden';
}

/** No valid credentials; 401. */
export class Unauthenticated extends DomainError {
  readonly code = 'unauthenticated';
}

export type ConflictReason =
  | 'illegal-transition'
  | 'concurrent-update'
  | 'idempotency-key-reused'
  /** The request named a version of the notice that is no longer its current one (someone changed it since). */
  | 'stale-version'
  /** A response was already filed for this submission, with another manifest or signature. */
  | 'already-filed'
  /**
   * Storage no longer holds the multipart upload of a file (S3's lifecycle rule aborts uploads not completed within
   * a few days of their start): its parts are gone, so the response must be opened again.
   */
  | 'upload-expired';

/** The request is valid but the notice's state forbids it, or another writer got there first; 409. */
export class Conflict extends DomainError {
  readonly code = 'conflict';
  constructor(
    readonly reason: ConflictReason,
    message: string,
  ) {
    super(message);
  }
}
