import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { daemonDatagram, parseDaemonAddress, udpEmitter } from '../../lambdas/observability/xray-udp-emitter';

const ROOT = join(__dirname, '..', '..');

/** A stand-in for the X-Ray daemon: a real UDP socket on 127.0.0.1 that keeps what it receives. */
async function fakeDaemon(): Promise<{ port: number; received: string[]; next(): Promise<string>; close(): void }> {
  const socket: Socket = createSocket('udp4');
  const received: string[] = [];
  const waiting: Array<(message: string) => void> = [];
  socket.on('message', (message) => {
    const text = message.toString('utf8');
    received.push(text);
    waiting.shift()?.(text);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    received,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => socket.close(),
  };
}

describe('the X-Ray daemon address', () => {
  it.each([
    [undefined, { host: '127.0.0.1', port: 2000 }],
    ['', { host: '127.0.0.1', port: 2000 }],
    ['169.254.79.129:2000', { host: '169.254.79.129', port: 2000 }],
    ['udp:169.254.79.129:2000 tcp:169.254.79.129:2001', { host: '169.254.79.129', port: 2000 }],
    ['tcp:10.0.0.1:2001 udp:10.0.0.2:2002', { host: '10.0.0.2', port: 2002 }],
    ['xray-daemon:2000', { host: 'xray-daemon', port: 2000 }],
  ])('reads %j', (value, address) => {
    expect(parseDaemonAddress(value)).toEqual(address);
  });

  it.each([
    ['127.0.0.1'],
    [':2000'],
    ['127.0.0.1:port'],
    ['127.0.0.1:70000'],
    ['udp:127.0.0.1:2000'],
    ['tcp:1.2.3.4:1 x'],
  ])('refuses %j', (value) => {
    expect(parseDaemonAddress(value)).toBeUndefined();
  });
});

describe('the UDP emitter', () => {
  it('sends each document as one datagram: the protocol header line, then the JSON', async () => {
    // Prepare
    const daemon = await fakeDaemon();
    const failures: unknown[] = [];
    const emitter = udpEmitter((error) => failures.push(error), {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.port}`,
    });
    try {
      // Act
      const first = daemon.next();
      emitter.send({ id: 'a', name: 'first' });
      const [header, body] = (await first).split('\n');
      const second = daemon.next();
      emitter.send({ id: 'b', name: 'second' });
      await second;

      // Assess
      expect(header).toBe('{"format": "json", "version": 1}');
      expect(JSON.parse(body!)).toEqual({ id: 'a', name: 'first' });
      expect(daemon.received).toHaveLength(2);
      expect(failures).toEqual([]);
    } finally {
      daemon.close();
    }
  });

  it('reads the address at each send, in either of its forms', async () => {
    // Prepare
    const daemon = await fakeDaemon();
    const env: NodeJS.ProcessEnv = {};
    const emitter = udpEmitter(() => undefined, env);
    try {
      // Act
      env.AWS_XRAY_DAEMON_ADDRESS = `udp:127.0.0.1:${daemon.port} tcp:127.0.0.1:1`;
      const received = daemon.next();
      emitter.send({ id: 'c' });

      // Assess
      expect(await received).toContain('"id":"c"');
    } finally {
      daemon.close();
    }
  });

  it('never throws: a malformed address is reported to onFailure and the send dropped', () => {
    // Prepare
    const failures: unknown[] = [];
    const emitter = udpEmitter((error) => failures.push(error), { AWS_XRAY_DAEMON_ADDRESS: 'not an address' });

    // Act
    expect(() => emitter.send({ id: 'd' })).not.toThrow();

    // Assess
    expect(failures).toHaveLength(1);
    expect(String(failures[0])).toContain('AWS_XRAY_DAEMON_ADDRESS is malformed');
  });

  it('reports a document too large for a datagram instead of throwing', async () => {
    // Prepare
    const failures: unknown[] = [];
    const reported = new Promise<void>((resolve) => {
      const emitter = udpEmitter(
        (error) => {
          failures.push(error);
          resolve();
        },
        { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:9' },
      );
      // Act
      emitter.send({ padding: 'x'.repeat(70_000) });
    });

    // Assess
    await reported;
    expect((failures[0] as NodeJS.ErrnoException).code).toBe('EMSGSIZE');
  });

  it('keeps no process alive: its socket is unref’d', () => {
    // Prepare: a process that sends one document to a port nobody listens on and then has nothing left to do.
    const script = `
      const { udpEmitter } = require('./lambdas/observability/xray-udp-emitter');
      udpEmitter(() => {}, { AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:9' }).send({ id: 'e' });
    `;

    // Act / Assess: it exits by itself (execFileSync would hit its timeout otherwise).
    const started = Date.now();
    execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, timeout: 15_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('frames the protocol header exactly as the daemon expects', () => {
    expect(daemonDatagram({ a: 1 }).toString()).toBe('{"format": "json", "version": 1}\n{"a":1}');
  });
});
