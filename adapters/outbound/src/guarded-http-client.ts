import type { LookupAddress } from 'node:dns'
import * as http from 'node:http'
import * as https from 'node:https'
import { isIP } from 'node:net'
import {
  type CallOptions,
  CoreError,
  type HttpClient,
  type HttpRequest,
  type HttpResponse,
} from '@agentry/contracts'
import { refusalFor } from './address-policy.js'
import { matchesAny } from './host-patterns.js'
import type { OutboundConfig, Resolver } from './outbound-config.js'
import { readLimited, toCoreError } from './response-reader.js'

const REDIRECTS = new Set([301, 302, 303, 307, 308])
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']

interface Hop {
  readonly url: URL
  readonly method: HttpRequest['method']
  readonly headers: Record<string, string>
  readonly body: string | Uint8Array | undefined
}

/** The outbound guard: see the `HttpClient` port for what it promises. */
export class GuardedHttpClient implements HttpClient {
  constructor(
    private readonly config: OutboundConfig,
    private readonly resolver: Resolver,
  ) {}

  async request(request: HttpRequest, options: CallOptions = {}): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(request.timeoutMs)
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    )
    let hop: Hop = { url: parseUrl(request.url), method: request.method, headers, body: request.body }
    try {
      for (let redirects = 0; ; redirects += 1) {
        const target = await this.check(hop.url, request, signal)
        const response = await send(hop, target, this.config.userAgent, request.maxResponseBytes, signal)
        const location = response.headers.location
        if (!REDIRECTS.has(response.status) || !location) return { ...response, url: hop.url.href, redirects }
        if (redirects >= this.config.maxRedirects) {
          throw new CoreError(
            'UPSTREAM_ERROR',
            `${request.url} redirected more than ${this.config.maxRedirects} times`,
          )
        }
        hop = nextHop(hop, response.status, location)
      }
    } catch (error) {
      throw toCoreError(error, request.url, options.signal, timeout)
    }
  }

  /** Applies the host lists and the address policy; returns the one address to connect to. */
  private async check(url: URL, request: HttpRequest, signal: AbortSignal): Promise<LookupAddress> {
    const host = url.hostname.replace(/^\[|\]$/g, '')
    if (matchesAny(host, this.config.denyHosts) || matchesAny(host, request.hosts?.deny)) {
      throw new CoreError('FORBIDDEN', `Requests to ${host} are denied by the outbound policy`)
    }
    const allow = [...this.config.allowHosts, ...(request.hosts?.allow ?? [])]
    if (allow.length > 0 && !matchesAny(host, allow)) {
      throw new CoreError('FORBIDDEN', `${host} is not on the allow list of this tool or company`)
    }
    const family = isIP(host)
    const addresses = family === 0 ? await this.resolve(host) : [{ address: host, family }]
    signal.throwIfAborted()
    for (const { address } of addresses) {
      const refusal = refusalFor(address, { allowLoopback: this.config.allowLoopback })
      if (refusal)
        throw new CoreError(
          'FORBIDDEN',
          `${host} resolves to a ${refusal} address, which the platform does not reach`,
        )
    }
    const [first] = addresses
    if (!first) throw new CoreError('UNAVAILABLE', `${host} has no address`)
    return first
  }

  private async resolve(host: string): Promise<readonly LookupAddress[]> {
    try {
      return await this.resolver(host)
    } catch (error) {
      throw new CoreError('UNAVAILABLE', `Could not resolve ${host}`, { cause: error })
    }
  }
}

function parseUrl(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch (error) {
    throw new CoreError('INVALID_INPUT', `"${value}" is not an absolute URL`, { cause: error })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CoreError('INVALID_INPUT', `Only http and https URLs are allowed, not ${url.protocol}`)
  }
  if (url.username || url.password)
    throw new CoreError('INVALID_INPUT', 'URLs must not carry credentials; use a secret')
  return url
}

function nextHop(hop: Hop, status: number, location: string): Hop {
  const url = parseUrl(new URL(location, hop.url).href)
  const headers = { ...hop.headers }
  if (url.origin !== hop.url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name]
  const becomesGet = status === 303 || ((status === 301 || status === 302) && hop.method === 'POST')
  if (!becomesGet) return { url, method: hop.method, headers, body: hop.body }
  delete headers['content-type']
  delete headers['content-length']
  return { url, method: hop.method === 'HEAD' ? 'HEAD' : 'GET', headers, body: undefined }
}

function send(
  hop: Hop,
  target: LookupAddress,
  userAgent: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<Omit<HttpResponse, 'url' | 'redirects'>> {
  const client = hop.url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const outgoing = client.request(
      {
        method: hop.method,
        hostname: hop.url.hostname.replace(/^\[|\]$/g, ''),
        port: hop.url.port || undefined,
        path: `${hop.url.pathname}${hop.url.search}`,
        headers: {
          'user-agent': userAgent,
          'accept-encoding': 'identity',
          ...hop.headers,
          host: hop.url.host,
        },
        // Connect to the address that was checked: no second DNS answer can redirect the socket.
        lookup: (_hostname, options, callback) => {
          if (options.all) callback(null, [target])
          else callback(null, target.address, target.family)
        },
        signal,
      },
      (incoming) => readLimited(incoming, maxBytes).then(resolve, reject),
    )
    outgoing.on('error', reject)
    outgoing.end(hop.body)
  })
}
