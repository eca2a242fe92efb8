#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addNoticePortal } from '../lib/notice-portal-app';

// No account or region: the stack is environment-agnostic, so `cdk synth` works offline without credentials and
// one template deploys to whichever account and region the deploying credentials select.
const app = new App();
addNoticePortal(app);
app.synth();
