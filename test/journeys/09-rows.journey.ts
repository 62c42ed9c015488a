import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { seedSampleHistory } from '../emulator';
import { BATCHES_CONTAINER, clickViewAction, openBatchesView } from './workbench';
import { screenshot, setUserSetting, world } from './world';

// At the default side-bar width a row must say what it is at a glance: which batch, its status and
// its counts, without widening the side bar or hovering. Checked on what is drawn, not on the
// accessible name: each character of a row's label and description counts as visible only when it
// lies inside the side bar and left of where the row is cut.

interface DrawnRow {
  /** The row's accessible name: label, status and counts in words, ending with the batch id. */
  name: string;
  /** The characters of label and description a person sees, joined by a space. */
  visible: string;
}

/** The rows of the Batches tree in the page now (the tree draws only those in view). */
function drawnRows(page: Page): Promise<{ sidebarWidth: number; rows: DrawnRow[] }> {
  return page.evaluate((selector) => {
    const container = document.querySelector(selector)!;
    const sidebar = (container.closest('.part.sidebar') ?? container).getBoundingClientRect();
    const visibleText = (element: Element | null, right: number): string => {
      if (!element) return '';
      let text = '';
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.textContent!.length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const box = range.getBoundingClientRect();
          // Past `right` a character is clipped, or covered by the ellipsis drawn in its place.
          if (box.width > 0 && box.right <= right) text += node.textContent![i];
        }
      }
      return text;
    };
    const rows: DrawnRow[] = [];
    for (const row of Array.from(container.querySelectorAll('[role="treeitem"]'))) {
      const label = row.querySelector('.monaco-icon-label-container');
      if (!label) continue;
      const rowBox = row.getBoundingClientRect();
      if (rowBox.bottom <= sidebar.top || rowBox.top >= sidebar.bottom) continue;
      // An ellipsis is about 10 px wide: the characters under it are not seen.
      const right = Math.min(sidebar.right, label.getBoundingClientRect().right) - 10;
      const name = visibleText(row.querySelector('.label-name'), right);
      const description = visibleText(row.querySelector('.label-description'), right);
      rows.push({ name: row.getAttribute('aria-label') ?? '', visible: `${name} ${description}`.trim() });
    }
    return { sidebarWidth: Math.round(sidebar.width), rows };
  }, BATCHES_CONTAINER);
}

/** VS Code's default side-bar width; this workbench may open wider when it has room. */
const DEFAULT_SIDEBAR_PX = 300;

/** Drags the sash at the side bar's right edge until the side bar is `width` px wide. */
async function setSidebarWidth(page: Page, width: number): Promise<void> {
  const edge = await page.evaluate((selector) => {
    const sidebar = document.querySelector(selector)!.closest('.part.sidebar')!.getBoundingClientRect();
    for (const sash of Array.from(document.querySelectorAll('.monaco-sash.vertical'))) {
      const box = sash.getBoundingClientRect();
      if (Math.abs(box.left + box.width / 2 - sidebar.right) < 8 && box.height > sidebar.height / 2) {
        return { x: box.left + box.width / 2, y: box.top + box.height / 2, left: sidebar.left };
      }
    }
    throw new Error(`no sash at the side bar's right edge (${sidebar.right} px)`);
  }, BATCHES_CONTAINER);
  await page.mouse.move(edge.x, edge.y);
  await page.mouse.down();
  await page.mouse.move(edge.left + width, edge.y, { steps: 8 });
  await page.mouse.up();
}

/** What a row must show: a name, then the status, then a count. */
const STATUS_AND_COUNTS = /^\S.* (in progress · [\d,]+ requests?|canceling · [\d,]+ requests?|(ended|results deleted) · [\d,]+ (✓|✗|expired|canceled)|canceled · [\d,]+ (✓|✗|expired|canceled)|\d+ batches · (\d+ running|ended · [\d,]+))/;

describe('journey: rows at the default side-bar width', () => {
  it('every row of the sample history shows its name, status and counts at 300 px in a 1400×900 window', async () => {
    const { page, emulator } = world();
    const sample = Object.values(seedSampleHistory(emulator));
    await setUserSetting('claudeBatches.pageSize', 1000);
    const container = await openBatchesView(page);
    await setSidebarWidth(page, DEFAULT_SIDEBAR_PX);
    await clickViewAction(page, 'Refresh');
    const viewport = page.viewportSize();
    assert.ok(viewport && viewport.width <= 1400 && viewport.height <= 900, `viewport ${JSON.stringify(viewport)}`);
    // Earlier journeys' batches may come first: any sample row drawn means the list is loaded.
    await container.getByRole('treeitem', { name: new RegExp(`(${sample.join('|')})$`) }).first().waitFor({ timeout: 30_000 });
    await screenshot('09-rows-default-width');

    // The tree draws only the rows in view: scroll through it, reading each row once.
    const seen = new Map<string, string>();
    let sidebarWidth = 0;
    const list = container.locator('.monaco-list').first();
    await list.hover();
    // Bounded: a list of this size is read in well under 150 steps, even one page at a time.
    for (let step = 0; step < 150; step++) {
      const drawn = await drawnRows(page);
      sidebarWidth = drawn.sidebarWidth;
      const before = seen.size;
      for (const row of drawn.rows) seen.set(row.name, row.visible);
      const allSeen = sample.every((id) => [...seen.keys()].some((name) => name.endsWith(id)));
      if (allSeen && seen.size === before) break;
      if (!allSeen && drawn.rows.some((row) => row.name === 'Load more…')) {
        // The sample's oldest batches lie past the pages loaded so far.
        await container.getByRole('treeitem', { name: 'Load more…' }).click();
        await page.waitForTimeout(500);
        await list.hover();
        continue;
      }
      await page.mouse.wheel(0, 300);
      await page.waitForTimeout(150);
    }
    assert.ok(Math.abs(sidebarWidth - DEFAULT_SIDEBAR_PX) <= 12, `the side bar is ${sidebarWidth} px wide, not the default ${DEFAULT_SIDEBAR_PX} px`);

    const rows = [...seen].filter(([name]) => name !== 'Load more…');
    for (const id of sample) assert.ok(rows.some(([name]) => name.endsWith(id)), `no row for the sample batch ${id} among ${seen.size} rows read: ${[...seen.keys()].join(' | ')}`);
    for (const [name, visible] of rows) assert.match(visible, STATUS_AND_COUNTS, `the row "${name}" shows only "${visible}" at ${sidebarWidth} px`);
    // Eight rows must not look the same: what is seen of the sample rows tells them apart.
    const sampleSeen = rows.filter(([name]) => sample.some((id) => name.endsWith(id))).map(([, visible]) => visible);
    assert.equal(new Set(sampleSeen).size, sample.length, `rows that look alike: ${sampleSeen.join(' | ')}`);
  });
});
