import { describe, expect, it } from 'vitest';
import { DOCK_MAX_WIDTH, DOCK_MIN_WIDTH, planDock } from '../../src/widget/dock-panel.js';

/** The article page's column: 42rem wide with 1.25rem padding, centred (its text box is 632 px wide). */
function centred(viewportWidth: number): { left: number; right: number } {
  const left = (viewportWidth - 672) / 2 + 20;
  return { left, right: left + 632 };
}

describe('planDock', () => {
  it('docks beside the column without moving it when 300 px are free (1280 px wide)', () => {
    expect(planDock({ viewportWidth: 1280, column: centred(1280) })).toEqual({ mode: 'docked', width: 300, shift: 0 });
  });

  it('grows the docked panel with the free space, up to its widest', () => {
    expect(planDock({ viewportWidth: 1440, column: centred(1440) })).toEqual({ mode: 'docked', width: 380, shift: 0 });
    expect(planDock({ viewportWidth: 1920, column: centred(1920) })).toEqual({ mode: 'docked', width: DOCK_MAX_WIDTH, shift: 0 });
  });

  it('shifts the column left just enough when the space beside it is too narrow', () => {
    const plan = planDock({ viewportWidth: 1100, column: centred(1100) });
    expect(plan).toEqual({ mode: 'docked', width: DOCK_MIN_WIDTH, shift: 90 });
  });

  it('floats when even a shift cannot make room, or the page has no column; phones get the sheet', () => {
    expect(planDock({ viewportWidth: 900, column: centred(900) })).toEqual({ mode: 'overlay' });
    expect(planDock({ viewportWidth: 1280, column: undefined })).toEqual({ mode: 'overlay' });
    expect(planDock({ viewportWidth: 480, column: { left: 20, right: 460 } })).toEqual({ mode: 'sheet' });
  });
});
