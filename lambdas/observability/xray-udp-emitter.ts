import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

/**
 * Sends segment documents to the X-Ray daemon, which Lambda runs next to every function with active tracing and
 * which forwards them to X-Ray (its IAM is the function role's xray:PutTraceSegments). The daemon's protocol is one
 * UDP datagram per document: a JSON header line, then the document.
 *
 * Fire and forget: a send never waits, never throws, and a failure (no daemon, an oversized document) is reported
 * once through `onFailure` and otherwise ignored. Tracing must never fail or slow a request.
 */
const PROTOCOL_HEADER = '{"format": "json", "version": 1}\n';

export interface DaemonAddress {
  host: string;
  port: number;
}

/** Where the daemon listens when AWS_XRAY_DAEMON_ADDRESS is not set (the X-Ray SDK's default too). */
export const DEFAULT_DAEMON_ADDRESS: DaemonAddress = { host: '127.0.0.1', port: 2000 };

/**
 * AWS_XRAY_DAEMON_ADDRESS, which Lambda sets: `host:port`, or `udp:host:port tcp:host:port` (either order) where the
 * daemon's TCP address (for sampling rules, which Lambda does not use) differs. Undefined when it is malformed.
 */
export function parseDaemonAddress(value: string | undefined): DaemonAddress | undefined {
  if (!value?.trim()) return DEFAULT_DAEMON_ADDRESS;
  const parts = value.trim().split(/\s+/);
  const udp = parts.length === 1 ? parts[0] : parts.find((part) => part.startsWith('udp:'))?.slice('udp:'.length);
  if (!udp || (parts.length === 1 && /^(udp|tcp):/.test(udp))) return undefined;
  const at = udp.lastIndexOf(':');
  if (at <= 0) return undefined;
  const host = udp.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(udp.slice(at + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/** The datagram for one document. */
export function daemonDatagram(document: object): Buffer {
  return Buffer.from(PROTOCOL_HEADER + JSON.stringify(document));
}

export interface UdpEmitter {
  /** Queues `document` for the daemon at AWS_XRAY_DAEMON_ADDRESS (read at each send) and returns at once. */
  send(document: object): void;
}

/**
 * One socket, made at the first send (a function that is never sampled never opens one) and unref'd, so it never
 * keeps a process alive. A socket that fails is dropped and the next send makes a new one.
 */
export function udpEmitter(onFailure: (error: unknown) => void, env: NodeJS.ProcessEnv = process.env): UdpEmitter {
  let socket: Socket | undefined;
  let socketFamily: 'udp4' | 'udp6' | undefined;

  const socketFor = (family: 'udp4' | 'udp6'): Socket => {
    if (socket && socketFamily === family) return socket;
    socket?.close();
    const created = createSocket(family);
    created.on('error', (error) => {
      if (socket === created) socket = undefined;
      created.close();
      onFailure(error);
    });
    created.unref();
    socket = created;
    socketFamily = family;
    return created;
  };

  return {
    send(document) {
      try {
        const address = parseDaemonAddress(env.AWS_XRAY_DAEMON_ADDRESS);
        if (!address) throw new Error(`AWS_XRAY_DAEMON_ADDRESS is malformed: ${env.AWS_XRAY_DAEMON_ADDRESS}`);
        const message = daemonDatagram(document);
        socketFor(isIPv6(address.host) ? 'udp6' : 'udp4').send(message, address.port, address.host, (error) => {
          if (error) onFailure(error);
        });
      } catch (error) {
        onFailure(error);
      }
    },
  };
}
