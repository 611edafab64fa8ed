import type { CallOptions } from '../common.js'

export interface HttpRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Absolute `http:` or `https:` URL. */
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array
  /** The whole exchange, redirects included. */
  readonly timeoutMs: number
  /** The body is cut here and `truncated` set; the connection is closed early. */
  readonly maxResponseBytes: number
  /**
   * Host patterns (`api.example.com`, `*.example.com`) for this request, on top of the client's
   * own policy: with a non-empty `allow`, only matching hosts are reached; `deny` always wins.
   */
  readonly hosts?: { readonly allow?: readonly string[]; readonly deny?: readonly string[] }
}

export interface HttpResponse {
  readonly status: number
  /** Header names lowercased; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
  readonly truncated: boolean
  /** The URL that answered, after redirects. */
  readonly url: string
  readonly redirects: number
}

/**
 * Every request the platform makes on a tenant's behalf (HTTP tools, knowledge from a URL) goes
 * through this port, whose implementation guards the network: it resolves the host once, refuses
 * loopback, private, link-local, shared, multicast, reserved and cloud-metadata addresses in every
 * spelling, connects to the very address it checked (no second lookup for a rebinding DNS to
 * answer), and checks again on each redirect (at most 3). Any status is a response, not an error.
 * Throws CoreError: `FORBIDDEN` (the guard refused; the message names the host and the reason),
 * `INVALID_INPUT` (not an absolute http(s) URL), `TIMEOUT`, `UNAVAILABLE` (DNS or connection
 * failure), `CANCELLED`.
 */
export interface HttpClient {
  request(request: HttpRequest, options?: CallOptions): Promise<HttpResponse>
}
