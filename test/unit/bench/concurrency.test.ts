import { peakConcurrency } from '../../../bench/concurrency';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const wave = (start: number, end: number, servers = 100) => ({ startedAt: at(start), endedAt: at(end), servers });

describe('peakConcurrency', () => {
  it('counts the waves and servers launching at the same instant', () => {
    expect(peakConcurrency([wave(0, 10), wave(5, 15, 50), wave(12, 20, 20)])).toEqual({
      peakWaves: 2,
      peakServers: 150,
    });
  });

  it("lets a wave take the room another's verdict released at the same instant", () => {
    expect(peakConcurrency([wave(0, 10), wave(10, 20), wave(10, 20)])).toEqual({ peakWaves: 2, peakServers: 200 });
  });

  it('counts no room for a wave that never started or has no verdict', () => {
    expect(peakConcurrency([{ servers: 100 }, { startedAt: at(0), servers: 100 }, wave(0, 5, 7)])).toEqual({
      peakWaves: 1,
      peakServers: 7,
    });
  });

  it('is zero for no waves', () => {
    expect(peakConcurrency([])).toEqual({ peakWaves: 0, peakServers: 0 });
  });
});
