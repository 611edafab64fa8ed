/** Time, injectable so tests can move it. `now()` never goes backwards within one process. */
export interface Clock {
  now(): Date
}
