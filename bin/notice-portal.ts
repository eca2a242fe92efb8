#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { DeploymentConfigError } from '../lib/deployment-config';
import { addNoticePortal } from '../lib/notice-portal-app';

// No account or region: the stack is environment-agnostic, so `cdk synth` works offline without credentials and
// one template deploys to whichever account and region the deploying credentials select.
const app = new App();
try {
  addNoticePortal(app);
} catch (error) {
  // A bad `-c` value is the operator's to fix: say which and why, without a stack trace of the app's internals.
  if (!(error instanceof DeploymentConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
