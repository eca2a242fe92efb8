import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ALL_INDEXES, TABLE_KEYS } from '../../lambdas/adapters/notice-table-design';
import type { TableBinding } from './portal-function';

/** Props of {@link NoticeData}. */
export interface NoticeDataProps {
  /**
   * Refuse `DeleteTable` until this is switched off. Off only for development stages, so that after a teardown
   * (which retains the table, see below) an operator can delete it with one deliberate call.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * The notices table: notices, their hash-chained event logs and the list indexes, all built from the shared key
 * design in `lambdas/adapters/notice-table-design.ts` so the CDK app and the local portal cannot drift apart.
 */
export class NoticeData extends Construct implements TableBinding {
  public readonly table: Table;
  /** Customer-managed key the table is encrypted with (rotated yearly by KMS). */
  public readonly encryptionKey: Key;
  /** ARN of each global secondary index, in `ALL_INDEXES` order. */
  public readonly indexArns: readonly string[];

  public constructor(scope: Construct, id: string, props: NoticeDataProps = {}) {
    super(scope, id);

    // A customer-managed key, so access to the legal record can be audited in CloudTrail and revoked by key
    // policy independently of IAM.
    this.encryptionKey = new Key(this, 'Key', {
      description: 'Encrypts the notice table (notices and their event logs)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      // Notices are low-volume and bursty (thousands a year): on-demand costs nothing while idle.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      deletionProtection: props.deletionProtection ?? true,
      // The table holds legal records: a stack deletion must never delete it. Development stages too: the stage is
      // only a context value, so a `cdk destroy` (or a replacement) must not be able to delete a table that turns out
      // to have been a production one deployed with the wrong `-c stage`; and a development table still matches
      // the objects its bucket keeps under Object Lock. Its deletion is a deliberate, separate step.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const index of ALL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        // Lists are served from the index alone, without a GetItem per row; a job index carries only what it reads.
        ...(index.nonKeyAttributes
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.nonKeyAttributes] }
          : { projectionType: ProjectionType.ALL }),
      });
    }

    this.indexArns = ALL_INDEXES.map((index) => `${this.table.tableArn}/index/${index.indexName}`);
  }
}
