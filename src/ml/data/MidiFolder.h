// The MIDI files of a training folder: found recursively, in a stable order, with what a
// dataset cache needs to notice that they changed (size and modification time). [any]
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Result.h"

namespace toccata::ml {

struct MidiFileEntry {
    std::string path;          ///< as found (folder + relative path)
    std::string relativePath;  ///< relative to the folder, '/'-separated: the file's identity
    uint64_t size = 0;
    int64_t modifiedNs = 0;  ///< last write time, nanoseconds since the file clock's epoch
};

/// .mid, .midi, .smf and .kar files under `folder` (any letter case, hidden folders skipped),
/// sorted by relative path. Unreadable sub-folders are skipped. Errors: the folder is missing
/// or not a folder.
core::Result<std::vector<MidiFileEntry>> listMidiFiles(const std::string& folder);

/// Runs work(i) for every i in [0, count) on `threads` threads (0: one per hardware thread),
/// polling `stop` between items and calling progress(done, count) (serialised) after each.
/// False when `stop` ended it early. [any]
bool forEachInParallel(size_t count, int threads, const std::function<void(size_t)>& work,
                       const std::function<void(int64_t, int64_t)>& progress = {},
                       const std::atomic<bool>* stop = nullptr);

/// 64-bit FNV-1a: stable across runs and machines, for cache keys and the eval split.
uint64_t fnv1a64(std::string_view bytes, uint64_t seed = 14695981039346656037ULL);

/// Changes whenever a file is added, removed, resized or rewritten.
uint64_t midiFilesFingerprint(const std::vector<MidiFileEntry>& files);

}  // namespace toccata::ml
