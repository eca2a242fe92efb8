'use strict';
// Preloaded into a benchmarked process: as it exits, writes its peak resident set size (getrusage maxrss, KiB)
// to $PEAK_RSS_FILE, so the parent reads the peak of exactly that process.
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  if (process.env.PEAK_RSS_FILE) writeFileSync(process.env.PEAK_RSS_FILE, String(process.resourceUsage().maxRSS));
});
