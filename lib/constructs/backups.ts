import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DEFAULT_RETENTION_YEARS } from '../deployment-config';

/** Props of {@link Backups}. */
export interface BackupsProps {
  /** The table to back up. */
  readonly table: ITable;
  /**
   * A compliance-style vault lock: after a grace period of {@link LOCK_CHANGEABLE_DAYS} days the lock can no longer
   * be changed or removed by anyone, so no recovery point can be deleted before its retention ends. Otherwise a
   * governance-style lock, which a user allowed `backup:DeleteBackupVaultLockConfiguration` can remove (so a
   * development stage's vault can be emptied and deleted).
   * @default true
   */
  readonly immutable?: boolean;
  /**
   * Years each monthly recovery point is kept.
   * @default 7
   */
  readonly retentionYears?: number;
}

/** Days each daily recovery point is kept: the vault lock's minimum retention too. */
export const DAILY_RETENTION_DAYS = 35;
/** Days a compliance-style vault lock stays changeable after it is set (AWS Backup's minimum is 3). */
export const LOCK_CHANGEABLE_DAYS = 3;

/**
 * Days that cover `years` calendar years whatever the start date: 365 a year plus the most leap days such a span
 * can hold.
 */
export function daysCovering(years: number): number {
  return 365 * years + Math.floor(years / 4) + 1;
}

/**
 * Immutable backups of the notice table with AWS Backup: a daily recovery point kept {@link DAILY_RETENTION_DAYS}
 * days and a monthly one kept `retentionYears`, in a vault of their own, encrypted with a customer-managed key and
 * locked.
 *
 * Point-in-time recovery (on the table) restores any second of the last 35 days, but those backups belong to the
 * table's account: whoever can administer the table can switch PITR off and delete the table. The locked vault is
 * what survives that — an operator's mistake, a compromised administrator — and keeps monthly copies for the
 * legal retention period. Restores go to a new table (AWS Backup never overwrites one).
 *
 * Encryption: with DynamoDB's "advanced backup features" switched on for the account and region (an account setting
 * of AWS Backup, not part of this stack; see the README's "Deploying"), recovery points are managed by AWS Backup and
 * encrypted with the vault's key; without it they are encrypted with the table's own key.
 */
export class Backups extends Construct {
  public readonly vault: BackupVault;
  /** Customer-managed key of {@link vault} (rotated yearly by KMS). */
  public readonly encryptionKey: Key;
  public readonly plan: BackupPlan;

  public constructor(scope: Construct, id: string, props: BackupsProps) {
    super(scope, id);
    const immutable = props.immutable ?? true;
    const retentionYears = props.retentionYears ?? DEFAULT_RETENTION_YEARS;

    this.encryptionKey = new Key(this, 'Key', {
      description: 'Encrypts the recovery points in the backup vault (AWS Backup)',
      enableKeyRotation: true,
      // Deleting the key would make every recovery point unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.vault = new BackupVault(this, 'Vault', {
      encryptionKey: this.encryptionKey,
      lockConfiguration: {
        // Any backup job must keep its recovery point at least this long: nothing in the vault is short-lived.
        minRetention: Duration.days(DAILY_RETENTION_DAYS),
        // No maximum: once immutable, the lock cannot follow a later change of retentionYears.
        ...(immutable ? { changeableFor: Duration.days(LOCK_CHANGEABLE_DAYS) } : {}),
      },
      // CloudFormation cannot delete a vault that holds recovery points; and they are the point of it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: `${Stack.of(this).stackName}-table`,
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'daily',
          // 15:00 UTC is the middle of the night in Australia, where the portal's default time zone is.
          scheduleExpression: Schedule.cron({ minute: '0', hour: '15' }),
          deleteAfter: Duration.days(DAILY_RETENTION_DAYS),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
        }),
        new BackupPlanRule({
          ruleName: 'monthly',
          scheduleExpression: Schedule.cron({ day: '1', minute: '0', hour: '16' }),
          deleteAfter: Duration.days(daysCovering(retentionYears)),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(8),
        }),
      ],
    });

    const selection = this.plan.addSelection('Table', {
      resources: [BackupResource.fromDynamoDbTable(props.table)],
    });
    // The selection's role (CDK's) carries AWS Backup's managed service policy for backup jobs.
    Validations.of(selection.node.findChild('Role')).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      reason:
        'Only AWS Backup (backup.amazonaws.com) can assume this role, to run the backup jobs of this plan on the ' +
        'table it selects. Its policy is the one AWS Backup documents and maintains for backup jobs: a hand-written ' +
        'copy would break backups silently (nothing checks a backup job before it runs) whenever AWS changes what a ' +
        'job needs. The role is not allowed to restore.',
    });
  }
}
