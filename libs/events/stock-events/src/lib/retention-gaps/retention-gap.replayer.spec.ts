import { GAP_MARGIN_MS, gapWindow } from './retention-gap.replayer';

describe('the window of a retention gap', () => {
  it("when a checkpoint's record and the oldest kept one are known, then the window runs between them with the margin either side, and a storm's from its longest run earlier", () => {
    const checkpointAt = Date.parse('2026-12-01T10:00:00.000Z');
    const keptAt = Date.parse('2026-12-02T10:30:00.000Z');
    expect(GAP_MARGIN_MS).toBe(60_000);
    expect(gapWindow(checkpointAt, keptAt)).toEqual({
      from: '2026-12-01T09:59:00.000Z',
      through: '2026-12-02T10:31:00.000Z',
      stormFrom: '2026-12-01T08:59:00.000Z',
    });
  });

  it("when the checkpoint's time is unknown, then the window starts at the beginning of what the movements table holds", () => {
    expect(gapWindow(null, Date.parse('2026-12-02T10:30:00.000Z'))).toMatchObject({
      from: '1970-01-01T00:00:00.000Z',
      stormFrom: '1970-01-01T00:00:00.000Z',
    });
  });
});
