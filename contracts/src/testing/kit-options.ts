/** A test of a kit that an adapter cannot pass, with the reason (shown in the test output). */
export interface KitSkip {
  /** The test's name exactly as the kit titles it. */
  readonly test: string
  readonly reason: string
}

/**
 * How an adapter runs a conformance kit: `create` makes a fresh subject (called once per test
 * file, or per test where a kit says so), `cleanup` releases it.
 */
export interface KitOptions<T> {
  /** Shown in the describe block, e.g. `PostgresStores on PGlite`. */
  readonly name: string
  readonly create: () => Promise<T> | T
  readonly cleanup?: (subject: T) => Promise<void> | void
  readonly skip?: readonly KitSkip[]
}
