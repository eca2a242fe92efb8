'use strict';
// Preloaded into a CLI process that must work offline: any attempt to open a connection or resolve a name fails
// loudly, so a test run proves the command never reached for the network.
const net = require('node:net');
const dns = require('node:dns');
const refuse = (what) => () => {
  throw new Error(`offline: this command tried to use the network (${what})`);
};
net.Socket.prototype.connect = refuse('net.connect');
dns.lookup = refuse('dns.lookup');
globalThis.fetch = refuse('fetch');
