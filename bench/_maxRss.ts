/** Preload for benchmark child processes: prints the peak RSS (KiB, from the kernel) on stderr at exit. */
process.on('exit', () => {
  process.stderr.write(`maxRSS ${process.resourceUsage().maxRSS}\n`);
});
