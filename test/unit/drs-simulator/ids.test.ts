import { instanceIdFor, jobIdFor } from '../../../local/drs-simulator/ids';

describe("the simulator's IDs", () => {
  it('are the same run to run for the same sequence number, in the DRS and EC2 formats', () => {
    expect(jobIdFor(1)).toBe(jobIdFor(1));
    expect(jobIdFor(1)).toMatch(/^drsjob-[0-9a-f]{17}$/);
    expect(instanceIdFor(1)).toMatch(/^i-[0-9a-f]{17}$/);
    expect(jobIdFor(2)).not.toBe(jobIdFor(1));
  });

  it('differ between simulators seeded apart, as one account never hands out a job ID twice (the web console runs one per execution)', () => {
    expect(jobIdFor(1, 'exec-a')).not.toBe(jobIdFor(1, 'exec-b'));
    expect(jobIdFor(1, 'exec-a')).not.toBe(jobIdFor(1));
    expect(instanceIdFor(1, 'exec-a')).not.toBe(instanceIdFor(1, 'exec-b'));
    // The unseeded IDs stay those the README and the tests show.
    expect(jobIdFor(1, '')).toBe(jobIdFor(1));
  });
});
