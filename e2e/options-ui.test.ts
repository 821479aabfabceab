import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Extension, launchExtension } from './fixtures';
import { axeViolations, buildStorage, fontSizes, manyKeys, seedStorage } from './ui-helpers';

let ext: Extension;
let page: Page;

beforeAll(async () => {
  ext = await launchExtension();
  page = await ext.context.newPage();
  await page.setViewportSize({ width: 1000, height: 800 });
  mkdirSync('e2e/artifacts', { recursive: true });
});
afterAll(async () => {
  await ext?.close();
});

async function openWith(language: 'browser' | 'zh_CN' | 'ja' = 'browser', theme: 'system' | 'light' | 'dark' = 'system') {
  const now = Date.now();
  const stored = buildStorage(manyKeys(now), now);
  // One key on a loopback site the e2e build may reach (nothing listens on port 9): saving it reads it at once.
  stored.keys.push({ ...stored.keys[0], id: 'local', label: 'Local relay', baseUrl: 'http://127.0.0.1:9' } as (typeof stored.keys)[number]);
  // Read a minute ago, as the others: no read is due while a test looks (one landing would add a line to the list).
  const read = stored.statuses.k0 as NonNullable<(typeof stored.statuses)[string]>;
  stored.statuses.local = { ...read, reading: read.reading && { ...read.reading, expiresAt: null } };
  await seedStorage(ext, { ...stored, appearance: { language, theme, sort: 'urgency', groupBySite: false } });
  await page.goto(ext.url('options.html'));
  await page.locator('[data-key-id="local"]').waitFor();
  // The page is complete once it has looked at which sites it may read: the offer to grant the others
  // then shows above the list (a test measuring where a key is must not see the list move after).
  await page.locator('.problem-box button.primary').waitFor();
}
/** What a screen reader says of the focused element: a key's button with the key's label (its description), the question's button after the question. */
const focused = () =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const name = el?.getAttribute('aria-label') ?? el?.textContent ?? '';
    if (el?.tagName !== 'BUTTON') return name;
    const question = el.closest('[role="group"]')?.getAttribute('aria-labelledby');
    if (question) return `${document.getElementById(question)?.textContent} ${name}`;
    const described = el.getAttribute('aria-describedby');
    return described ? `${name} ${document.getElementById(described)?.textContent}` : name;
  });
/** A key's button (automation.md §7): in the key's item, by its exact name. */
const keyButton = (label: string, name: 'Edit' | 'Delete') =>
  page.locator(`[data-key-item][data-label="${label}"]`).getByRole('button', { name, exact: true });

describe('options page with 27 keys', () => {
  it.each(['browser', 'zh_CN', 'ja'] as const)('reads at a normal size (%s)', async (language) => {
    await openWith(language);
    const sizes = await fontSizes(page, ['body', 'h2', '.key-main strong', '.key-list button', 'label', 'input', 'select']);
    expect(sizes.body).toBeGreaterThanOrEqual(13);
    expect(sizes.body).toBeLessThanOrEqual(14);
    for (const [selector, size] of Object.entries(sizes))
      expect({ selector, size }).toEqual({ selector, size: expect.toSatisfy((n: number) => n >= 13) });
    if (language === 'ja') expect(await page.locator('#keys-heading').innerText()).not.toBe('Keys');
  });

  it.each(['browser', 'zh_CN', 'ja'] as const)('links to every section by its heading, in its language (%s)', async (language) => {
    await openWith(language);
    const links = await page
      .locator('nav.page-nav a')
      .evaluateAll((all) => all.map((a) => [a.textContent, document.querySelector(`${a.getAttribute('href')} > h2`)?.textContent ?? null]));
    // The link says what the heading it leads to says (zh-CN's link read 设置 above a section called 通用设置).
    expect(links.filter(([link, heading]) => link !== heading)).toEqual([]);
    // And no section is left out: the alert channels had no link.
    const sections = await page
      .locator('main > section[id], body section[id]')
      .evaluateAll((all) => all.filter((s) => s.querySelector(':scope > h2')).map((s) => `#${s.id}`));
    expect(await page.locator('nav.page-nav a').evaluateAll((all) => all.map((a) => a.getAttribute('href')))).toEqual(sections);
  });

  it.each(['browser', 'ja'] as const)('in a 400 px window a key keeps its text readable, its buttons under it (%s)', async (language) => {
    await page.setViewportSize({ width: 400, height: 800 });
    try {
      await openWith(language);
      const item = page.locator('[data-key-item]').first();
      const [text, box] = await Promise.all([item.locator('.key-main').boundingBox(), item.boundingBox()]);
      // Not squeezed to a letter a line beside its buttons (issue #19 tryout: 0 px in ja, 86 px in English).
      expect(text?.width ?? 0).toBeGreaterThan(200);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(400);
    } finally {
      await page.setViewportSize({ width: 1000, height: 800 });
    }
  });

  it.each(['browser', 'ja'] as const)(
    'in a 400 px window Import & Export keeps its buttons on one line and its passphrase field wide (%s)',
    async (language) => {
      await page.setViewportSize({ width: 400, height: 800 });
      try {
        await openWith(language);
        const section = page.locator('.import-export');
        const lines = await section.locator('button').evaluateAll((buttons) =>
          buttons.map((b) => {
            const style = getComputedStyle(b);
            const inner = b.getBoundingClientRect().height - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom);
            return [b.textContent, Math.round(inner / Number.parseFloat(style.lineHeight || '0') || inner / 18)];
          }),
        );
        // "エクスポート" broke over two lines, "Export encrypted" too, at 400 px (issue #19, a review's findings).
        expect(lines.filter(([, n]) => Number(n) > 1)).toEqual([]);
        // The passphrase's label over a field a passphrase fits in, not four lines beside a field two words wide.
        const field = await (language === 'browser'
          ? section.getByLabel('Passphrase for the encrypted file')
          : section.locator('#export-passphrase')
        ).boundingBox();
        expect(field?.width ?? 0).toBeGreaterThan(150);
        const label = await section.locator('.export-encrypted label').boundingBox();
        expect(label?.height ?? 99).toBeLessThan(30);
      } finally {
        await page.setViewportSize({ width: 1000, height: 800 });
      }
    },
  );

  it.each(['browser', 'zh_CN'] as const)('in a 400 px window every select fits its section, the Kind list too (%s)', async (language) => {
    await page.setViewportSize({ width: 400, height: 800 });
    try {
      await openWith(language);
      // The widest choice of the Kind list (issue #19, a new user's findings: it went past the page at 400 px).
      await page.locator('#add select[name="kind"]').selectOption('newapi-user');
      const past = await page.evaluate(() =>
        [...document.querySelectorAll('select')].flatMap((select) => {
          const section = select.closest('section')?.getBoundingClientRect();
          const right = select.getBoundingClientRect().right;
          return section && right > section.right
            ? [`${select.getAttribute('name') ?? select.getAttribute('aria-label')}: ${right} > ${section.right}`]
            : [];
        }),
      );
      expect(past).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    } finally {
      await page.setViewportSize({ width: 1000, height: 800 });
    }
  });

  it('opens the editor in place of the key, with focus in it, and gives focus back on Cancel', async () => {
    await openWith();
    const row = page.locator('[data-key-id="k15"]');
    const top = () => row.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    const before = await top();
    await keyButton('Work key 05', 'Edit').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('li.editing[data-key-id="k15"]'))).toBe(true);
    // The editor is where the key was, not 2,000 px down.
    expect(Math.abs((await top()) - before)).toBeLessThan(5);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focused).toBe('Edit Work key 05');
  });

  it('saves an edit, says what the read found, and gives focus back to the key', async () => {
    await openWith();
    await keyButton('Local relay', 'Edit').click();
    const editor = page.locator('li.editing');
    await editor.getByLabel('Label', { exact: true }).fill('Local relay 2');
    await editor.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/^Saved\. Local relay 2: /).waitFor();
    await expect.poll(focused).toBe('Edit Local relay 2');
  });

  it('keeps focus on Test while and after it reads, so the keyboard is where it was', async () => {
    await openWith();
    await keyButton('Local relay', 'Edit').click();
    const editor = page.locator('li.editing');
    await editor.getByRole('button', { name: 'Test', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^Test: /).waitFor();
    // The button was disabled while it read, which sent focus to the page (a review's finding): it comes back.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Test');
  });

  it('keeps focus on the add form’s Test right after an editor was closed (focus did not go back to that key)', async () => {
    await openWith();
    await keyButton('Local relay', 'Edit').click();
    await page.locator('li.editing').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focused).toBe('Edit Local relay');
    // Within the 3 seconds focus is kept for the key, the person goes on to the add form.
    const add = page.locator('#add');
    await add.getByLabel('Label', { exact: true }).fill('Second relay');
    await add.getByLabel('Site address').fill('http://127.0.0.1:9');
    await add.getByLabel('Key or access token').fill('sk-second-relay-key-000000000000');
    await add.getByRole('button', { name: 'Test', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(/^Test: /).waitFor();
    await expect
      .poll(() => page.evaluate(() => [document.activeElement?.closest('section')?.id, document.activeElement?.textContent]))
      .toEqual(['add', 'Test']);
  });

  it('asks before deleting; Escape or leaving cancels; after deleting focus moves to the next key', async () => {
    await openWith();
    await keyButton('Translator', 'Delete').click();
    await expect.poll(focused).toBe('Delete for good? Delete');
    await page.keyboard.press('Escape');
    await expect.poll(focused).toBe('Delete Translator');
    expect(await page.locator('[data-key-id="k6"] button.danger').count()).toBe(0);
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('Delete for good? Delete');
    await page.keyboard.press('Tab'); // Cancel
    await page.keyboard.press('Tab'); // out of the question
    await expect.poll(() => page.locator('[data-key-id="k6"] button.danger').count()).toBe(0);
    await keyButton('Translator', 'Delete').click();
    const next = await page.locator('[data-key-id="k6"] + li strong').innerText();
    // Enter answers the question once it has focus, as a person answers what they see.
    await expect.poll(focused).toBe('Delete for good? Delete');
    await page.keyboard.press('Enter');
    await page.getByText('Deleted 1 key.').waitFor();
    expect(await page.locator('[data-key-id="k6"]').count()).toBe(0);
    await expect.poll(focused).toBe(`Edit ${next}`);
  });

  it('selects keys in bulk and deletes them after one question', async () => {
    await openWith();
    await page.getByRole('checkbox', { name: 'Select Flaky relay 1' }).check();
    await page.getByRole('checkbox', { name: 'Select Flaky relay 2' }).check();
    await page.getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await page.getByRole('button', { name: 'Delete 2 keys for good' }).press('Enter');
    await page.getByText('Deleted 2 keys.').waitFor();
    expect(await page.locator('.key-list > li').count()).toBe(25);
    await page.getByRole('checkbox', { name: 'Select every key' }).check();
    await page.getByText('25 selected').waitFor();
  });

  it('tells every key action apart: its name, and the key it acts on (automation.md §7: Edit and Delete, described by the label)', async () => {
    await openWith();
    const names = await page.locator('.key-list button, .key-list input').evaluateAll((list) =>
      list.map((c) => {
        const described = c.getAttribute('aria-describedby');
        return `${c.getAttribute('aria-label') ?? c.textContent ?? ''} | ${described ? document.getElementById(described)?.textContent : ''}`;
      }),
    );
    // Select, Edit, Delete, Mute, Pin.
    expect(names.length).toBe(27 * 5);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('Edit | Translator');
    expect(names).toContain('Delete | Translator');
  });

  it('changes language and theme from its own section', async () => {
    await openWith();
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(22, 25, 29)');
    await page.getByLabel('Language').selectOption('ja');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    await page.locator('#keys-heading').waitFor();
    expect(await page.locator('#keys-heading').innerText()).toBe('キー');
  });

  it('has no axe-core violations in light and dark; screenshot', async () => {
    await openWith('browser', 'light');
    await page.screenshot({ path: 'e2e/artifacts/options.png' });
    await keyButton('Work key 05', 'Edit').click();
    expect(await axeViolations(page)).toEqual([]);
    await openWith('browser', 'dark');
    expect(await axeViolations(page)).toEqual([]);
  });
});
