/** What /proc says about a process (Linux): resident memory now and at its peak, CPU time. */
import { readFileSync, writeFileSync } from 'node:fs';

/** A `Name:   N kB` line of /proc/<pid>/status, in kB; undefined where /proc cannot tell. */
function statusKb(pid: number | 'self' | undefined, name: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** VmRSS of a process, in kB; undefined where /proc cannot tell. */
export const rssKb = (pid: number | 'self' | undefined): number | undefined => statusKb(pid, 'VmRSS');

/** VmHWM, the peak resident set of a process over its whole life so far, in kB. */
export const peakRssKb = (pid: number | 'self' | undefined): number | undefined => statusKb(pid, 'VmHWM');

/**
 * Resets this process's VmHWM to its current RSS (Linux 4.0+: "5" to /proc/self/clear_refs), so
 * that a peak measured afterwards leaves out what came before. false where the kernel refuses.
 */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, what /proc/<pid>/stat counts in

/** User + system CPU time of a process, all its threads (ONNX Runtime's too), in ms. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) " come the fields from the 3rd (state) on: utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
