#!/usr/bin/env python3
"""Sums a dotnet-trace speedscope file by frame, counting only time a thread was running, not waiting.

dotnet-trace's default profile samples every managed thread, blocked or not, so raw totals are mostly idle thread-pool
threads. A stack whose innermost frame is a wait (a semaphore, a monitor wait, socket epoll, ...) is left out; what is
left is about the CPU time. Contended locks (Monitor.Enter_Slowpath) are counted apart: they are not CPU, but show
where requests queue.

Usage: frames.py FILE.speedscope.json [TOP] [--callers SUBSTRING]
  prints the TOP frames by inclusive running time and by exclusive time; with --callers, the stacks leading to frames
  whose name contains SUBSTRING, summed by their five nearest callers.
"""
import collections
import json
import sys

WAITS = ("WaitOneNoCheck", "WaitForSignal", "Monitor.Wait", "WaitMultiple", "WaitAnyMultiple", "WaitNative",
         "Interop+Sys.Read(", "ManualResetEventSlim.Wait", "SpinWait", "Thread.Sleep", "WaitForSocketEvents",
         "Interop+Sys.WaitForSocketEvents", "Thread.<PollGC>", "LowLevelLifoSemaphore.Wait", "Task.SpinThenBlockingWait",
         "Interop+Sys.Poll", "Interop+Sys.Accept", "Sys.ReadEvents", "WaitOrThrow", "BackgroundProcessContext.Wait")
LOCK = "Monitor.Enter_Slowpath"
MARKERS = ("CPU_TIME", "UNMANAGED_CODE_TIME")


def stacks(profile):
    """Yields (stack, duration) from an evented profile."""
    stack, last = [], profile["startValue"]
    for event in profile["events"]:
        at = event["at"]
        if stack and at > last:
            yield tuple(stack), at - last
        last = at
        if event["type"] == "O":
            stack.append(event["frame"])
        elif stack:
            stack.pop()


def main():
    args = sys.argv[1:]
    callers = None
    if "--callers" in args:
        i = args.index("--callers")
        callers = args[i + 1]
        del args[i:i + 2]
    path = args[0]
    top = int(args[1]) if len(args) > 1 else 40
    data = json.load(open(path))
    names = [f["name"] for f in data["shared"]["frames"]]
    inclusive, exclusive, callers_of = collections.Counter(), collections.Counter(), collections.Counter()
    running = locked = 0.0
    for profile in data["profiles"]:
        for stack, duration in stacks(profile):
            # dotnet-trace marks each sample with a last pseudo-frame, CPU_TIME or UNMANAGED_CODE_TIME (native code,
            # which is also where a thread blocks): the real innermost frame is the one under it.
            if names[stack[-1]] in MARKERS:
                stack = stack[:-1]
            if not stack:
                continue
            leaf = names[stack[-1]]
            if any(w in leaf for w in WAITS):
                continue
            if LOCK in leaf:
                locked += duration
            else:
                running += duration
                exclusive[leaf] += duration
            for frame in set(stack):
                inclusive[names[frame]] += duration
            if callers:
                for depth, frame in enumerate(stack):
                    if callers in names[frame]:
                        path_names = [names[f].split("(")[0][-70:] for f in stack[max(0, depth - 5):depth + 1]]
                        callers_of[" <- ".join(reversed(path_names))] += duration
                        break
    total = running + locked
    print(f"running {running / 1000:.1f} s, waiting on contended locks {locked / 1000:.1f} s (thread time, all threads)")
    print(f"\n== top {top} by inclusive share of running + lock time")
    for name, t in inclusive.most_common(top):
        print(f"{100 * t / total:6.1f}%  {name[:150]}")
    print(f"\n== top {top} by exclusive share of running time")
    for name, t in exclusive.most_common(top):
        print(f"{100 * t / running:6.1f}%  {name[:150]}")
    if callers:
        print(f"\n== stacks into *{callers}*")
        for name, t in callers_of.most_common(top):
            print(f"{100 * t / total:6.1f}%  {name}")


if __name__ == "__main__":
    main()
