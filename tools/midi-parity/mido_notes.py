#!/usr/bin/env python3
"""Reference reader for Toccata's MIDI parity test and `toccata-cli bench midi`.

Reads MIDI files with mido (Debian: python3-mido) and prints, per file, one JSON line with the
notes Toccata's MidiConversion must produce, using the same rules (src/core/midi/MidiConversion.h):

- seconds from one tempo map merged over all tracks (ties: track order), computed from ticks here;
- a track ends at its first End-of-Track (later events are ignored, as Toccata's reader does);
- note-on with velocity 0 is a note-off; a note-off closes the oldest open note of the same
  (track, channel, pitch); notes still open at the end of a track end at its last event;
- a note's program is the last program change on its channel in its track (default 0);
  channel 9 is drums.

Output line: {"file": PATH, "ticksPerQuarter": N, "fields": [...], "notes": [[...], ...]}
or {"file": PATH, "error": MESSAGE} when mido cannot read the file.

Usage:
  mido_notes.py FILE...                      notes of each file
  mido_notes.py --files-from LIST [--jobs N] paths one per line (LIST may be '-' for stdin)
  mido_notes.py --time --repeat N FILE...    timing: read+convert every file N times, print
                                             {"files", "notes", "passSeconds", "medianSeconds"}
"""

import argparse
import bisect
import json
import multiprocessing
import statistics
import sys
import time

try:
    import mido
except ImportError:  # pragma: no cover - reported to the caller
    print("mido_notes.py: the Python module 'mido' is not installed "
          "(Debian: apt-get install python3-mido)", file=sys.stderr)
    sys.exit(2)

FIELDS = ["pitch", "velocity", "start", "end", "channel", "program", "isDrum", "track"]
DRUM_CHANNEL = 9


class TickClock:
    """Ticks -> seconds through the tempo changes of all tracks."""

    def __init__(self, tempo_changes, ppq):
        self.ppq = max(1, ppq)
        self.ticks = [0]
        self.seconds = [0.0]
        self.seconds_per_tick = [0.5 / self.ppq]  # 120 QPM until the first change
        for tick, microseconds in tempo_changes:
            start = self.seconds[-1] + (tick - self.ticks[-1]) * self.seconds_per_tick[-1]
            self.ticks.append(tick)
            self.seconds.append(start)
            self.seconds_per_tick.append(microseconds / 1e6 / self.ppq)

    def __call__(self, tick):
        i = bisect.bisect_right(self.ticks, tick) - 1
        return self.seconds[i] + (tick - self.ticks[i]) * self.seconds_per_tick[i]


def absolute_tracks(midi):
    """Each track as [(tick, message)], cut after its first End-of-Track."""
    tracks = []
    for track in midi.tracks:
        tick = 0
        events = []
        for message in track:
            tick += message.time
            events.append((tick, message))
            if message.type == "end_of_track":
                break
        tracks.append(events)
    return tracks


def notes_of(path):
    midi = mido.MidiFile(path)
    tracks = absolute_tracks(midi)
    changes = [(tick, m.tempo) for events in tracks for tick, m in events
               if m.type == "set_tempo" and m.tempo > 0]
    changes.sort(key=lambda change: change[0])  # stable: track order breaks ties
    clock = TickClock(changes, midi.ticks_per_beat)
    notes = []
    for track_index, events in enumerate(tracks):
        program = [0] * 16
        open_notes = {}
        for tick, m in events:
            kind = m.type
            if kind == "program_change":
                program[m.channel] = m.program
            elif kind == "note_on" and m.velocity > 0:
                note = [m.note, m.velocity, clock(tick), None, m.channel, program[m.channel],
                        m.channel == DRUM_CHANNEL, track_index]
                open_notes.setdefault((m.channel, m.note), []).append(note)
                notes.append(note)
            elif kind in ("note_on", "note_off"):
                waiting = open_notes.get((m.channel, m.note))
                if waiting:
                    waiting.pop(0)[3] = clock(tick)
        end = clock(events[-1][0]) if events else 0.0
        for waiting in open_notes.values():
            for note in waiting:
                note[3] = end
    return midi.ticks_per_beat, notes


def describe(path):
    try:
        ppq, notes = notes_of(path)
    except Exception as error:  # mido raises many kinds on bad files
        return json.dumps({"file": path, "error": "%s: %s" % (type(error).__name__, error)})
    return json.dumps({"file": path, "ticksPerQuarter": ppq, "fields": FIELDS, "notes": notes},
                      separators=(",", ":"))


def time_files(paths, repeat):
    passes = []
    files = notes_total = 0
    for _ in range(repeat):
        files = notes_total = 0
        begin = time.perf_counter()
        for path in paths:
            try:
                notes_total += len(notes_of(path)[1])
                files += 1
            except Exception:
                pass
        passes.append(time.perf_counter() - begin)
    return {"files": files, "notes": notes_total, "passSeconds": passes,
            "medianSeconds": statistics.median(passes) if passes else 0.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--files-from", help="file with one path per line ('-': stdin)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--time", action="store_true", help="timing mode")
    parser.add_argument("--repeat", type=int, default=5, help="timing passes")
    args = parser.parse_args()

    paths = list(args.files)
    if args.files_from:
        stream = sys.stdin if args.files_from == "-" else open(args.files_from, encoding="utf-8")
        with stream:
            paths += [line.rstrip("\n") for line in stream if line.strip()]

    if args.time:
        print(json.dumps(time_files(paths, max(1, args.repeat))))
        return 0
    if args.jobs > 1 and len(paths) > 1:
        with multiprocessing.Pool(args.jobs) as pool:
            for line in pool.imap(describe, paths, chunksize=16):
                sys.stdout.write(line + "\n")
    else:
        for path in paths:
            sys.stdout.write(describe(path) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
