// Draws the toolbar icon (a gauge on a blue tile) at each size WXT expects, as PNG,
// with no image library: `node scripts/make-icons.mjs` writes public/icon/<size>.png.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

function icon(size) {
  const px = Buffer.alloc(size * size * 4);
  const s = 4; // supersampling per axis
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < s; sy++) {
        for (let sx = 0; sx < s; sx++) {
          const u = (x + (sx + 0.5) / s) / size; // 0..1
          const v = (y + (sy + 0.5) / s) / size;
          const [cr, cg, cb, ca] = shade(u, v);
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const i = (y * size + x) * 4;
      const n = s * s;
      px[i] = a ? Math.round(r / a) : 0;
      px[i + 1] = a ? Math.round(g / a) : 0;
      px[i + 2] = a ? Math.round(b / a) : 0;
      px[i + 3] = Math.round((a / n) * 255);
    }
  }
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 6;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Colour and coverage at (u, v) in the unit square. */
function shade(u, v) {
  const pad = 0.04,
    radius = 0.22;
  const dx = Math.max(pad + radius - u, 0, u - (1 - pad - radius));
  const dy = Math.max(pad + radius - v, 0, v - (1 - pad - radius));
  if (dx * dx + dy * dy > radius * radius) return [0, 0, 0, 0];
  const cx = 0.5,
    cy = 0.62;
  const d = Math.hypot(u - cx, v - cy);
  const angle = Math.atan2(cy - v, u - cx); // 0 right, π left
  // Gauge arc: white track, amber left part, needle pointing low.
  if (d > 0.26 && d < 0.36 && v <= cy + 0.02) return angle > Math.PI * 0.72 ? [255, 183, 77, 1] : [255, 255, 255, 1];
  const needle = Math.PI * 0.8;
  const along = (u - cx) * Math.cos(needle) + (cy - v) * Math.sin(needle);
  const across = Math.abs(-(u - cx) * Math.sin(needle) + (cy - v) * Math.cos(needle));
  if ((along > 0 && along < 0.3 && across < 0.035) || d < 0.06) return [255, 255, 255, 1];
  return [11, 87, 208, 1];
}

for (const size of [16, 32, 48, 96, 128]) writeFileSync(`public/icon/${size}.png`, icon(size));
