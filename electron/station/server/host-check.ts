/**
 * The Host header check against DNS rebinding: a web page on evil.example can make its own name
 * resolve to 127.0.0.1 (or the station's LAN address) and then talk to the station from the
 * victim's browser as a same-origin page. The browser still sends `Host: evil.example`, so the
 * station answers only to names that are its own.
 *
 * Accepted names:
 * - bound to loopback (the default): localhost, 127.0.0.1, [::1] and the bound address itself;
 * - bound to every interface (0.0.0.0, ::): this machine's interface addresses, localhost, its host
 *   name and `<hostname>.local` (mDNS);
 * - bound to one LAN address or name: that address or name, the host name and `<hostname>.local`;
 * and always whatever `--allowed-host` lists (a DNS name the office uses, a reverse proxy's name).
 *
 * The station's own names must come with the station's port (a browser always sends it, as the
 * port is never 80). An `--allowed-host NAME` matches NAME on any port, because a reverse proxy
 * forwards the Host it was called with; `NAME:PORT` pins the port.
 */
import { isIP } from 'node:net';
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { INTERFACE_CACHE_MS } from '../limits.js';

/** True for addresses only this machine can reach: the station is then not on the network. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** A Host header (or an `--allowed-host` value) split into a lower-case name and an optional port. */
export function parseHost(value: string): { name: string; port: number | null } | null {
  const m = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_.-]+))(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!m) return null;
  let name: string;
  if (m[1] !== undefined) {
    if (isIP(m[1]) !== 6) return null;
    // One spelling per address: [0:0::1] and [::1] are the same.
    name = new URL(`http://[${m[1]}]`).hostname.slice(1, -1);
  } else {
    name = m[2]!.toLowerCase().replace(/\.$/, '');
  }
  const port = m[3] === undefined ? null : Number(m[3]);
  if (port !== null && port > 65535) return null;
  return { name, port };
}

function hostNames(): string[] {
  const full = osHostname().toLowerCase();
  const short = full.split('.')[0]!;
  return [...new Set([full, short, `${short}.local`])].filter((n) => n && parseHost(n) !== null);
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((i) => parseHost(i.family === 'IPv6' ? `[${i.address.split('%')[0]}]` : i.address)?.name)
    .filter((a): a is string => a !== undefined);
}

export type AllowedHost = NonNullable<ReturnType<typeof parseHost>>;

export class HostCheck {
  private cached: { names: Set<string>; at: number } | null = null;

  /**
   * @param bindHost the address the server listens on (`--host`)
   * @param extra the `--allowed-host` values, parsed (see security-config.ts)
   * @param port the listening port (known only after listen, for port 0)
   */
  constructor(
    private readonly bindHost: string,
    private readonly extra: readonly AllowedHost[],
    private readonly port: () => number,
  ) {}

  /** True when a request with this Host header is meant for this station. */
  allows(hostHeader: string | undefined): boolean {
    const host = parseHost(hostHeader ?? '');
    if (!host) return false;
    if (this.extra.some((e) => e.name === host.name && (e.port === null || e.port === host.port))) return true;
    return host.port === this.port() && this.ownNames().has(host.name);
  }

  private ownNames(): Set<string> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < INTERFACE_CACHE_MS) return this.cached.names;
    const bound = parseHost(this.bindHost.includes(':') ? `[${this.bindHost}]` : this.bindHost)?.name;
    let names: string[];
    if (isLoopbackHost(this.bindHost)) {
      names = ['localhost', '127.0.0.1', '::1'];
    } else if (isWildcardHost(this.bindHost)) {
      // Re-read now and then: a DHCP lease or a new Wi-Fi network changes the addresses.
      names = ['localhost', ...interfaceAddresses(), ...hostNames()];
    } else {
      names = hostNames();
    }
    if (bound && !isWildcardHost(this.bindHost)) names.push(bound);
    this.cached = { names: new Set(names), at: now };
    return this.cached.names;
  }
}
