/**
 * CPU seconds used by process trees, read from Linux /proc (the sizing benchmark's per-role CPU:
 * API processes vs optimizer workers). `sextant serve --processes N` forks its API processes with
 * node:cluster, so a tree is the root pid and every live descendant. Returns null where /proc is
 * missing (not Linux): the benchmark then reports the API's own /metrics figure only.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every mainstream Linux). */
const TICKS_PER_SECOND = 100;

interface Stat {
  readonly ppid: number;
  readonly ticks: number;
}

function readStat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the name: state(3) ppid(4) … utime(14) stime(15), i.e. indexes 1, 11 and 12 here.
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** Total user + system CPU seconds of the trees rooted at `roots` (live processes only), or null. */
export function treeCpuSeconds(roots: readonly number[]): number | null {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return null;
  }
  const stats = new Map<number, Stat>();
  for (const pid of pids) {
    const s = readStat(pid);
    if (s) stats.set(pid, s);
  }
  const inTree = new Set(roots.filter((pid) => stats.has(pid)));
  // Parents may have larger pids than children after pid wrap-around: iterate to a fixed point (bounded by depth).
  for (let grew = true, rounds = 0; grew && rounds < 16; rounds++) {
    grew = false;
    for (const [pid, s] of stats) {
      if (!inTree.has(pid) && inTree.has(s.ppid)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  let ticks = 0;
  for (const pid of inTree) ticks += stats.get(pid)!.ticks;
  return ticks / TICKS_PER_SECOND;
}
