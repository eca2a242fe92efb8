import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkClientConfig } from '../config/sdk-clients';

/**
 * The one way the portal makes a DynamoDB document client: the Lambda runtime, the local portal and the ops
 * scripts all use it, so items are marshalled alike everywhere. The endpoint comes from the SDK's standard
 * variables (AWS_ENDPOINT_URL_DYNAMODB), which is all that differs between AWS and the local portal.
 */
export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(dynamoDbClient(config), {
    // Optional fields (a regulator has no platformId) are left out, not stored as null.
    marshallOptions: { removeUndefinedValues: true },
  });
}

/**
 * The low-level client, for what the document client cannot do (creating the table of the local portal). Retries and
 * timeouts are the portal's (lambdas/config/sdk-clients.ts) unless `config` overrides them.
 */
export function dynamoDbClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ ...sdkClientConfig('dynamodb'), ...config });
}
