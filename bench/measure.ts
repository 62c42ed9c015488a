// How the bench workers measure one run: wall time and peak RSS growth, sampled every 20 ms.

export interface Measured<T> {
  result: T;
  ms: number;
  rssBefore: number;
  peakRssDelta: number;
}

export async function measure<T>(run: () => Promise<T>): Promise<Measured<T>> {
  const rssBefore = process.memoryUsage.rss();
  let peak = rssBefore;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  const result = await run();
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { result, ms, rssBefore, peakRssDelta: peak - rssBefore };
}
