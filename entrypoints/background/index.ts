import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { z } from 'zod';
import { localArea } from '@/lib/storage/items';
import { createBackground } from './create';

// MV3 forbids eval: zod must never try to compile parsers (see wxt.config.ts).
z.config({ jitless: true });

export default defineBackground(() => {
  createBackground({
    browser,
    fetch: (...args) => fetch(...args),
    now: Date.now,
    area: localArea,
    isOnline: () => navigator.onLine,
  });
});
