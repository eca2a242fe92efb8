import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { SigningKey } from '../domain/signing-keys';
import type { Submission } from '../domain/submission';
import type { SubmissionStore } from '../domain/submission-service';

/**
 * Submissions live in their notice's partition (`NOTICE#<id>` / `SUBMISSION#<sid>`, outside the EVENT#…NOTICE range
 * the notice is read from); signing keys in their platform's (`PLATFORM#<id>` / `KEY#<kid>`). Every change is a
 * conditional write on a version number or a state, so two writers never both succeed.
 */
const submissionKey = (noticeId: string, submissionId: string) => ({
  pk: `NOTICE#${noticeId}`,
  sk: `SUBMISSION#${submissionId}`,
});
const keyKey = (platformId: string, kid: string) => ({ pk: `PLATFORM#${platformId}`, sk: `KEY#${kid}` });

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

export class DynamoDbSubmissionStore implements SubmissionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSubmission(noticeId: string, submissionId: string): Promise<Submission | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: submissionKey(noticeId, submissionId), ConsistentRead: true }),
    );
    return Item ? strip<Submission>(Item) : undefined;
  }

  createSubmission(submission: Submission): Promise<boolean> {
    return this.conditionalPut(
      { ...submission, ...submissionKey(submission.noticeId, submission.submissionId) },
      'attribute_not_exists(pk)',
    );
  }

  replaceSubmission(submission: Submission, expectedVersion: number): Promise<boolean> {
    return this.conditionalPut(
      { ...submission, ...submissionKey(submission.noticeId, submission.submissionId) },
      'version = :expected',
      { ':expected': expectedVersion },
    );
  }

  async getKey(platformId: string, kid: string): Promise<SigningKey | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keyKey(platformId, kid), ConsistentRead: true }),
    );
    return Item ? strip<SigningKey>(Item) : undefined;
  }

  createKey(key: SigningKey): Promise<boolean> {
    return this.conditionalPut({ ...key, ...keyKey(key.platformId, key.kid) }, 'attribute_not_exists(pk)');
  }

  replaceKey(key: SigningKey): Promise<boolean> {
    return this.conditionalPut(
      { ...key, ...keyKey(key.platformId, key.kid) },
      'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
    );
  }

  async listKeys(platformId: string): Promise<SigningKey[]> {
    const keys: SigningKey[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :keys)',
          ExpressionAttributeValues: { ':pk': `PLATFORM#${platformId}`, ':keys': 'KEY#' },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) keys.push(strip<SigningKey>(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return keys.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  }

  private async conditionalPut(
    item: Record<string, unknown>,
    condition: string,
    values?: Record<string, unknown>,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
