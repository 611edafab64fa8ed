/**
 * A check that runs once when it passes: concurrent callers share the attempt, a failure is
 * reported to each of them and tried again by the next call (the migrations may run meanwhile).
 */
export class SchemaCheck {
  readonly #check: () => Promise<void>
  #passed: Promise<void> | undefined

  constructor(check: () => Promise<void>) {
    this.#check = check
  }

  ensure(): Promise<void> {
    if (!this.#passed) {
      const attempt = this.#check()
      this.#passed = attempt
      attempt.catch(() => {
        if (this.#passed === attempt) this.#passed = undefined
      })
    }
    return this.#passed
  }
}
