import { RemovalPolicy } from 'aws-cdk-lib';
import { type Alias, Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Props of {@link ReceiptSigning}. */
export interface ReceiptSigningProps {
  /**
   * The key's alias. Aliases are unique per account and region, so a second portal deployed next to this one
   * needs its own.
   * @default 'alias/notice-portal/receipts'
   */
  readonly aliasName?: string;
}

/**
 * The regulator's receipt key: an asymmetric KMS key (ECDSA P-256) whose private half never leaves KMS. Filing a
 * response signs its receipt with it (ES256 over a digest the function computes); the public half is published
 * as a JWKS so anyone can verify a receipt offline.
 */
export class ReceiptSigning extends Construct {
  /** The signing key (`ECC_NIST_P256`, `SIGN_VERIFY`). Bind functions with `PortalFunction.bindReceiptKey`. */
  public readonly key: Key;
  /** A stable name for the key in the console and in CloudTrail. */
  public readonly alias: Alias;

  public constructor(scope: Construct, id: string, props: ReceiptSigningProps = {}) {
    super(scope, id);

    this.key = new Key(this, 'Key', {
      description: 'Signs the receipts of filed notice responses (ES256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      // KMS cannot rotate asymmetric keys automatically (rotation is for symmetric encryption keys only), so
      // rotation stays off. cdk-nag's AwsSolutions-KMS5 only checks symmetric keys and does not fire here.
      // Rotating means a new key whose public half is published next to the old one, so old receipts still verify.
      enableKeyRotation: false,
      // Every receipt ever issued is verified against this key's public half; deleting it would also delete the
      // only proof that the regulator issued them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alias = this.key.addAlias(props.aliasName ?? 'alias/notice-portal/receipts');
  }
}
