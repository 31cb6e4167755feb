#include "ml/data/PerformanceDataset.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "core/midi/MidiIO.h"
#include "core/ops/Quantization.h"
#include "core/ops/SequenceOps.h"
#include "ml/data/MidiFolder.h"

namespace toccata::ml {

namespace fs = std::filesystem;

namespace {

// Bump when the records change, so a run folder's dataset key changes with them.
constexpr const char* kPipelineVersion = "performance-notes-1";
// Attempts before samplePerformanceWindow gives up (only reached when almost no performance
// is as long as a window).
constexpr int kSampleAttempts = 200;

struct FileJob {
    std::string path;
    std::string relative;  // within its own folder: decides the side
    std::string display;   // what PerformanceDataset::files lists
};

struct FileOutcome {
    bool read = false;
    std::string skipReason;
    PerformanceRecord record;
    core::PipelineStatistics statistics;
};

int64_t notesIn(const std::vector<PerformanceRecord>& records) {
    int64_t n = 0;
    for (const PerformanceRecord& r : records) n += static_cast<int64_t>(r.notes.size());
    return n;
}

// Encodes events as classes of the windowing's encoding (the events come from notes already
// checked to be in range, so encoding cannot fail).
std::vector<int> toClasses(const std::vector<PerformanceEvent>& events,
                           const PerformanceOneHotEncoding& encoding) {
    std::vector<int> out;
    out.reserve(events.size());
    for (const PerformanceEvent& e : events) out.push_back(encoding.encodeEvent(e).value());
    return out;
}

PerformanceOneHotEncoding encodingOf(const PerformanceWindowing& w) {
    auto e = PerformanceOneHotEncoding::create(w.numVelocityBins, w.maxShiftSteps);
    return e ? std::move(*e) : PerformanceOneHotEncoding::standard();
}

PerformanceWindow makeWindow(const PerformanceRecord& record,
                             const std::vector<PerformanceEvent>& events,
                             const PerformanceWindowing& w,
                             const PerformanceOneHotEncoding& encoding, int transpose,
                             double stretch) {
    PerformanceWindow window;
    window.events = toClasses(events, encoding);
    if (w.controls.any()) window.controls = w.controls.vectors(events, w.stepsPerSecond);
    window.file = record.file;
    window.transpose = transpose;
    window.stretch = stretch;
    return window;
}

}  // namespace

int64_t PerformanceDataset::trainNotes() const { return notesIn(train); }
int64_t PerformanceDataset::evalNotes() const { return notesIn(eval); }

core::Result<PerformanceRecord> performanceRecord(const core::NoteSequence& sequence,
                                                  bool applySustain, bool includeDrums,
                                                  core::PipelineStatistics& stats) {
    core::NoteSequence working;
    const core::NoteSequence* source = &sequence;
    if (!includeDrums || applySustain) {
        working = sequence;
        if (!includeDrums) {
            const auto before = working.notes.size();
            std::erase_if(working.notes, [](const core::Note& n) { return n.isDrum; });
            stats.increment("notes_discarded_drums",
                            static_cast<int64_t>(before - working.notes.size()));
        }
        if (applySustain) {
            auto sustained = core::applySustainControlChanges(working);
            if (!sustained) return sustained.error();
            working = std::move(*sustained);
        }
        source = &working;
    }
    PerformanceRecord record;
    record.notes.reserve(source->notes.size());
    for (const core::Note& n : source->notes) {
        if (n.pitch < 0 || n.pitch > 127) {
            stats.increment("notes_discarded_bad_pitch");
            continue;
        }
        const int velocity = std::clamp(n.velocity, 1, 127);
        record.notes.push_back({static_cast<float>(n.startTime), static_cast<float>(n.endTime),
                                static_cast<uint8_t>(n.pitch), static_cast<uint8_t>(velocity)});
    }
    // Magenta's order: (start time, pitch), ties kept as found.
    std::stable_sort(record.notes.begin(), record.notes.end(),
                     [](const PerformanceNote& a, const PerformanceNote& b) {
                         return a.start < b.start || (a.start == b.start && a.pitch < b.pitch);
                     });
    stats.increment("performances");
    stats.increment("notes", static_cast<int64_t>(record.notes.size()));
    return record;
}

core::Result<PerformanceDataset> buildPerformanceDataset(const std::string& folder,
                                                         const PerformanceDatasetOptions& options,
                                                         const DatasetProgress& progress,
                                                         const std::atomic<bool>* stop) {
    const auto began = std::chrono::steady_clock::now();
    if (!(options.evalRatio >= 0.0 && options.evalRatio < 1.0))
        return core::Error{"eval ratio must be in [0, 1), got " +
                           std::to_string(options.evalRatio)};
    std::vector<std::string> folders = {folder};
    for (const std::string& extra : options.extraFolders)
        if (!extra.empty()) folders.push_back(extra);

    std::vector<FileJob> jobs;
    uint64_t key = fnv1a64(kPipelineVersion);
    for (size_t f = 0; f < folders.size(); ++f) {
        auto files = listMidiFiles(folders[f]);
        if (!files) return files.error();
        std::error_code ec;
        const fs::path absolute = fs::absolute(folders[f], ec).lexically_normal();
        key = fnv1a64(absolute.string(), key ^ midiFilesFingerprint(*files));
        std::string prefix;
        if (f > 0) {
            prefix =
                (absolute.has_filename() ? absolute.filename() : absolute.parent_path().filename())
                    .string() +
                "/";
        }
        for (const MidiFileEntry& e : *files)
            jobs.push_back({e.path, e.relativePath, prefix + e.relativePath});
    }
    if (jobs.empty())
        return core::Error{folder + ": no MIDI files (.mid, .midi) in this folder or below"};
    key = fnv1a64(std::to_string(options.evalRatio) + (options.applySustain ? "s" : "-") +
                      (options.includeDrums ? "d" : "-"),
                  key);

    const size_t total = jobs.size();
    std::vector<FileOutcome> outcomes(total);
    const bool finished = forEachInParallel(
        total, options.threads,
        [&](size_t i) {
            FileOutcome& outcome = outcomes[i];
            auto sequence = core::readMidiFile(jobs[i].path);
            if (!sequence) {
                outcome.skipReason = sequence.errorMessage();
                return;
            }
            auto record = performanceRecord(*sequence, options.applySustain, options.includeDrums,
                                            outcome.statistics);
            if (!record) {
                outcome.skipReason = record.errorMessage();
                return;
            }
            outcome.read = true;
            outcome.record = std::move(*record);
        },
        progress, stop);
    if (!finished) return core::Error{"cancelled"};

    PerformanceDataset dataset;
    dataset.key = key;
    RnnDatasetReport& report = dataset.report;
    report.filesFound = static_cast<int64_t>(total);
    for (size_t i = 0; i < total; ++i) {
        dataset.files.push_back(jobs[i].display);
        FileOutcome& outcome = outcomes[i];
        if (!outcome.read) {
            report.skipped.push_back({jobs[i].display, outcome.skipReason});
            continue;
        }
        ++report.filesRead;
        const bool eval = isEvalFile(jobs[i].relative, options.evalRatio);
        ++(eval ? report.evalFiles : report.trainFiles);
        core::PipelineStatistics& stats = eval ? report.eval : report.training;
        stats.merge(outcome.statistics);
        if (outcome.record.notes.empty()) {
            stats.increment("performances_discarded_empty");
            continue;
        }
        outcome.record.file = static_cast<uint32_t>(i);
        (eval ? dataset.eval : dataset.train).push_back(std::move(outcome.record));
    }
    dataset.loadSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    return dataset;
}

core::Result<std::vector<PerformanceEvent>> encodePerformanceNotes(const PerformanceRecord& record,
                                                                   size_t firstNote, double stretch,
                                                                   int transpose,
                                                                   const PerformanceWindowing& w,
                                                                   size_t maxEvents) {
    if (firstNote >= record.notes.size()) return std::vector<PerformanceEvent>{};
    if (!(stretch > 0.0) || w.stepsPerSecond < 1)
        return core::Error{
            "encodePerformanceNotes: stretch and steps per second must be "
            "positive"};
    // Each note brings its own NOTE_ON, and a later-sorted note's events never come before an
    // earlier one's onset, so the first maxEvents events only involve the first maxEvents notes.
    size_t last = record.notes.size();
    if (maxEvents > 0) last = std::min(last, firstNote + maxEvents);
    const double t0 = record.notes[firstNote].start;
    const double sps = w.stepsPerSecond;
    std::vector<QuantizedPerformanceNote> notes;
    notes.reserve(last - firstNote);
    for (size_t i = firstNote; i < last; ++i) {
        const PerformanceNote& n = record.notes[i];
        const int pitch = n.pitch + transpose;
        if (pitch < 0 || pitch > 127)
            return core::Error{"file " + std::to_string(record.file) + ": pitch " +
                               std::to_string(n.pitch) + " transposed by " +
                               std::to_string(transpose) + " leaves 0..127"};
        const int64_t start = core::secondsToStep((n.start - t0) * stretch, sps);
        const int64_t end = std::max(core::secondsToStep((n.end - t0) * stretch, sps), start + 1);
        notes.push_back({start, end, pitch, n.velocity});
    }
    std::vector<PerformanceEvent> events =
        extractPerformanceEvents(notes, 0, w.numVelocityBins, w.maxShiftSteps);
    if (maxEvents > 0 && events.size() > maxEvents) events.resize(maxEvents);
    return events;
}

core::Result<PerformanceWindow> samplePerformanceWindow(
    const std::vector<PerformanceRecord>& records, const PerformanceWindowing& w, Rng& rng) {
    if (w.windowEvents < 1)
        return core::Error{"window length must be >= 1 event, got " +
                           std::to_string(w.windowEvents)};
    std::vector<int64_t> cumulative;
    cumulative.reserve(records.size());
    int64_t total = 0;
    for (const PerformanceRecord& r : records) {
        total += static_cast<int64_t>(r.notes.size());
        cumulative.push_back(total);
    }
    if (total == 0) return core::Error{"no training performances to draw windows from"};
    const PerformanceOneHotEncoding encoding = encodingOf(w);
    const size_t n = static_cast<size_t>(w.windowEvents);
    const std::vector<double> stretches =
        w.stretchFactors.empty() ? std::vector<double>{1.0} : w.stretchFactors;
    const int span = 2 * std::max(0, w.transposeMax) + 1;

    for (int attempt = 0; attempt < kSampleAttempts; ++attempt) {
        // A record in proportion to its notes, a start note, a stretch and a transposition.
        const int64_t pick = static_cast<int64_t>(rng.next() % static_cast<uint64_t>(total));
        const size_t r = static_cast<size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
        const PerformanceRecord& record = records[r];
        size_t first = static_cast<size_t>(rng.next() % record.notes.size());
        const double stretch = stretches[rng.next() % stretches.size()];
        int transpose = static_cast<int>(rng.next() % static_cast<uint64_t>(span)) -
                        std::max(0, w.transposeMax);
        // Too close to the end: move the start earlier (uniformly) until the window fills.
        for (;;) {
            const size_t last = std::min(record.notes.size(), first + n);
            int lo = 127, hi = 0;
            for (size_t i = first; i < last; ++i) {
                lo = std::min<int>(lo, record.notes[i].pitch);
                hi = std::max<int>(hi, record.notes[i].pitch);
            }
            // A transposition leaving 0..127 is redrawn, as Magenta drops such copies.
            for (int t = 0; t < 16 && (lo + transpose < 0 || hi + transpose > 127); ++t)
                transpose = static_cast<int>(rng.next() % static_cast<uint64_t>(span)) -
                            std::max(0, w.transposeMax);
            if (lo + transpose < 0 || hi + transpose > 127) transpose = 0;
            auto events = encodePerformanceNotes(record, first, stretch, transpose, w, n);
            if (!events) return events.error();
            if (events->size() == n)
                return makeWindow(record, *events, w, encoding, transpose, stretch);
            if (first == 0) break;  // this whole performance is shorter than a window
            first = static_cast<size_t>(rng.next() % first);
        }
    }
    return core::Error{"no training performance is " + std::to_string(w.windowEvents) +
                       " events long (after " + std::to_string(kSampleAttempts) + " draws)"};
}

namespace {

std::vector<PerformanceWindow> spreadEvenly(std::vector<PerformanceWindow> windows,
                                            int64_t maxWindows) {
    if (maxWindows <= 0 || static_cast<int64_t>(windows.size()) <= maxWindows) return windows;
    std::vector<PerformanceWindow> kept;
    kept.reserve(static_cast<size_t>(maxWindows));
    const double stride = static_cast<double>(windows.size()) / static_cast<double>(maxWindows);
    for (int64_t i = 0; i < maxWindows; ++i)
        kept.push_back(std::move(windows[static_cast<size_t>(static_cast<double>(i) * stride)]));
    return kept;
}

}  // namespace

std::vector<PerformanceWindow> performanceEvalWindows(const std::vector<PerformanceRecord>& records,
                                                      const PerformanceWindowing& w,
                                                      int64_t maxWindows) {
    std::vector<PerformanceWindow> windows;
    if (w.windowEvents < 1) return windows;
    const PerformanceOneHotEncoding encoding = encodingOf(w);
    const size_t n = static_cast<size_t>(w.windowEvents);
    for (const PerformanceRecord& record : records) {
        size_t first = 0;
        while (first < record.notes.size()) {
            auto events = encodePerformanceNotes(record, first, 1.0, 0, w, n);
            if (!events || events->size() < n) break;
            windows.push_back(makeWindow(record, *events, w, encoding, 0, 1.0));
            const auto ons = std::count_if(events->begin(), events->end(), [](const auto& e) {
                return e.type == PerformanceEvent::kNoteOn;
            });
            first += static_cast<size_t>(std::max<std::ptrdiff_t>(ons, 1));
        }
    }
    return spreadEvenly(std::move(windows), maxWindows);
}

std::vector<std::vector<int>> performanceEventSequences(
    const std::vector<PerformanceRecord>& records, const PerformanceWindowing& w) {
    const PerformanceOneHotEncoding encoding = encodingOf(w);
    std::vector<std::vector<int>> out;
    out.reserve(records.size());
    for (const PerformanceRecord& record : records) {
        auto events = encodePerformanceNotes(record, 0, 1.0, 0, w);
        if (events) out.push_back(toClasses(*events, encoding));
    }
    return out;
}

PerformanceBatch makePerformanceBatch(const std::vector<const PerformanceWindow*>& windows,
                                      int controlSize, int64_t padClass) {
    const int64_t b = static_cast<int64_t>(windows.size());
    int64_t t = 0;
    for (const PerformanceWindow* w : windows) t = std::max<int64_t>(t, w->events.size());
    PerformanceBatch batch;
    batch.events = torch::full({b, t}, padClass, torch::kLong);
    batch.mask = torch::zeros({b, t}, torch::kBool);
    auto events = batch.events.accessor<int64_t, 2>();
    auto mask = batch.mask.accessor<bool, 2>();
    for (int64_t i = 0; i < b; ++i) {
        const PerformanceWindow& w = *windows[static_cast<size_t>(i)];
        for (size_t j = 0; j < w.events.size(); ++j) {
            events[i][static_cast<int64_t>(j)] = w.events[j];
            mask[i][static_cast<int64_t>(j)] = true;
        }
    }
    if (controlSize > 0) {
        batch.controls = torch::zeros({b, t, controlSize}, torch::kFloat);
        float* data = batch.controls.data_ptr<float>();
        for (int64_t i = 0; i < b; ++i) {
            const PerformanceWindow& w = *windows[static_cast<size_t>(i)];
            const size_t count = std::min(w.controls.size(), static_cast<size_t>(t * controlSize));
            std::copy_n(w.controls.begin(), count, data + i * t * controlSize);
        }
    }
    return batch;
}

}  // namespace toccata::ml
