/**
 * The only way task code reads the time. On AWS it is the system clock; the local stack
 * passes a simulated clock that Wait states advance, so a two-hour recovery runs in seconds
 * and every run of the same scenario gives the same result.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
