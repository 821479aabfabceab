/**
 * The popup's speed table alone (section 4 of `npm run bench`), for work on the popup:
 * `npm run bench:popup` (builds the e2e build first). Prints, never asserts.
 */
import { resolve } from 'node:path';
import { speedTable } from './speed-table';

await speedTable(resolve('.output/chrome-mv3-e2e'));
