// CPU time of a process from /proc, and CPU pinning with taskset (util-linux).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticksPerSecond;

/** Clock ticks per second of /proc/<pid>/stat times (CLK_TCK, 100 on Linux). */
export function clockTicksPerSecond() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** utime + stime of a process (all its threads), in seconds. */
export function processCpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: split after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14) and stime (15) are at 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond();
}

/** The CPUs a process may run on, as /proc reports them (e.g. "0" or "0-1"). */
export function allowedCpus(pid = process.pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? '?';
}

/** Pins a running process and all its threads to one CPU. */
export function pinProcess(pid, cpu) {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
}

/** Fails early with a clear message when taskset or the second core is missing. */
export function checkPinningAvailable() {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
  } catch {
    throw new Error('taskset (util-linux) is not installed; the benchmark needs it to pin CPUs');
  }
  if (allowedCpus() === '0') {
    throw new Error('only CPU 0 is available; the benchmark needs two cores (server 0, load 1)');
  }
}
