#!/usr/bin/env node
'use strict';
// The CLI is TypeScript that shares the portal's own schemas (lambdas/); tsx compiles it on the fly.
require('tsx/cjs');
require('./main.ts');
