// Makes the README's tour from the screenshots the UI journeys take (test-results/screenshots),
// so that the pictures show the extension as it is: run the journeys, then `npm run tour`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const shots = path.join(root, 'test-results', 'screenshots');
const tour = path.join(root, 'docs', 'tour');

/** Each frame of the tour, by the journey screenshot it is. README.md shows them in this order. */
export const FRAMES = {
  '1-write.png': '07-authoring-2-quick-fix.png',
  '2-submit.png': '03-submit-1-explorer-menu.png',
  '3-watch.png': '06-watch-1-status-bar-running.png',
  '4-ended.png': '06-watch-2-ended-notification.png',
  '5-results.png': '08-results-1-document.png',
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missing = Object.values(FRAMES).filter((shot) => !fs.existsSync(path.join(shots, shot)));
  if (missing.length) {
    console.error(`Missing journey screenshots: ${missing.join(', ')}. Run the journeys first: CLAUDE_BATCHES_TIERS=UI npm test`);
    process.exit(1);
  }
  fs.mkdirSync(tour, { recursive: true });
  for (const [frame, shot] of Object.entries(FRAMES)) {
    fs.copyFileSync(path.join(shots, shot), path.join(tour, frame));
    console.log(`docs/tour/${frame} ← test-results/screenshots/${shot}`);
  }
}
