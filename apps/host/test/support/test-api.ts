import type { HTTPMethods } from 'fastify'

export interface ApiResponse<T = unknown> {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>
  /** The parsed JSON body; the raw text for non-JSON answers (server-sent events). */
  readonly body: T
  readonly text: string
}

export interface RequestOptions {
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** Sent as the raw payload (with the given content type), for malformed-input tests. */
  readonly rawBody?: string
}

export interface InjectRequest {
  readonly method: HTTPMethods
  readonly url: string
  readonly headers: Record<string, string>
  readonly payload?: string
}

export interface InjectResponse {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>
  readonly body: string
  json(): unknown
}

/** Where a TestApi sends its requests: a Fastify app (`app.inject()`), or real HTTP servers. */
export interface Injector {
  inject(request: InjectRequest): Promise<InjectResponse>
}

/**
 * A small client over `app.inject()`, authenticated with one bearer token. `as(token)` switches
 * credentials; `request` never throws on an error status, so tests can assert on it.
 */
export class TestApi {
  readonly app: Injector
  readonly token: string | undefined

  constructor(app: Injector, token?: string) {
    this.app = app
    this.token = token
  }

  as(token: string | undefined): TestApi {
    return new TestApi(this.app, token)
  }

  async request<T = unknown>(
    method: string,
    url: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers }
    if (this.token && headers.authorization === undefined) headers.authorization = `Bearer ${this.token}`
    let payload: string | undefined
    if (options.rawBody !== undefined) payload = options.rawBody
    else if (options.body !== undefined) {
      payload = JSON.stringify(options.body)
      headers['content-type'] ??= 'application/json'
    }
    const response = await this.app.inject({
      method: method as HTTPMethods,
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    })
    const type = String(response.headers['content-type'] ?? '')
    const body = type.includes('application/json') && response.body !== '' ? response.json() : response.body
    return { status: response.statusCode, headers: response.headers, body: body as T, text: response.body }
  }

  get<T = unknown>(url: string, options?: RequestOptions) {
    return this.request<T>('GET', url, options)
  }

  post<T = unknown>(url: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', url, { ...options, body })
  }

  put<T = unknown>(url: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', url, { ...options, body })
  }

  patch<T = unknown>(url: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', url, { ...options, body })
  }

  delete<T = unknown>(url: string, options?: RequestOptions) {
    return this.request<T>('DELETE', url, options)
  }
}

/** Fails with the response in the message when the status is not the expected one. */
export function expectStatus<T>(response: ApiResponse<T>, status: number): ApiResponse<T> {
  if (response.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 2000)}`)
  }
  return response
}
