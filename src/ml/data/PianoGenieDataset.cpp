#include "ml/data/PianoGenieDataset.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "core/midi/MidiIO.h"
#include "ml/data/MidiFolder.h"
#include "ml/models/piano_genie/PianoGenie.h"

namespace toccata::ml {

namespace fs = std::filesystem;

namespace {

// Bump when the performances change, so a run folder's dataset key changes with them.
constexpr const char* kPipelineVersion = "piano-genie-notes-1";
// The tutorial's first delta time, before clipping.
constexpr double kFirstDelta = 1e8;

struct FileOutcome {
    bool read = false;
    std::string skipReason;
    PianoGeniePerformance performance;
    core::PipelineStatistics statistics;
};

int64_t notesIn(const std::vector<PianoGeniePerformance>& performances) {
    int64_t n = 0;
    for (const PianoGeniePerformance& p : performances) n += static_cast<int64_t>(p.size());
    return n;
}

}  // namespace

int64_t PianoGenieDataset::trainNotes() const { return notesIn(train); }
int64_t PianoGenieDataset::evalNotes() const { return notesIn(eval); }

PianoGeniePerformance pianoGeniePerformance(const core::NoteSequence& sequence,
                                            core::PipelineStatistics& stats) {
    std::vector<std::pair<double, int>> notes;
    notes.reserve(sequence.notes.size());
    for (const core::Note& note : sequence.notes) {
        if (note.isDrum) {
            stats.increment("notes_discarded_drums");
            continue;
        }
        const int key = note.pitch - kPianoGenieLowestPitch;
        if (key < 0 || key >= kPianoGenieKeys) {
            stats.increment("notes_discarded_outside_piano");
            continue;
        }
        notes.emplace_back(note.startTime, key);
    }
    std::sort(notes.begin(), notes.end());
    PianoGeniePerformance p;
    p.onsets.reserve(notes.size());
    p.keys.reserve(notes.size());
    for (const auto& [onset, key] : notes) {
        p.onsets.push_back(onset);
        p.keys.push_back(static_cast<uint8_t>(key));
    }
    stats.increment("performances");
    stats.increment("notes", static_cast<int64_t>(notes.size()));
    return p;
}

std::vector<float> pianoGenieDeltas(const std::vector<double>& onsets, size_t from, size_t count,
                                    double stretch, double deltaTimeMax) {
    std::vector<float> deltas(count);
    for (size_t i = 0; i < count; ++i) {
        const double d =
            i == 0 ? kFirstDelta * stretch : (onsets[from + i] - onsets[from + i - 1]) * stretch;
        deltas[i] = static_cast<float>(std::clamp(d, 0.0, deltaTimeMax));
    }
    return deltas;
}

PianoGenieWindow pianoGenieTrainingWindow(const PianoGeniePerformance& performance,
                                          const PianoGenieWindowing& w, Rng& rng) {
    const size_t length = static_cast<size_t>(w.seqLen);
    const size_t offsets = performance.size() >= length ? performance.size() - length + 1 : 1;
    const size_t from = static_cast<size_t>(rng.next() % offsets);
    const size_t count = std::min(length, performance.size());
    const double stretch = 1.0 + (2.0 * rng.uniform() - 1.0) * w.timeStretchMax;
    const int64_t span = 2 * w.transposeMax + 1;
    const int64_t shift =
        static_cast<int64_t>(rng.next() % static_cast<uint64_t>(span)) - w.transposeMax;
    PianoGenieWindow window;
    window.deltas = pianoGenieDeltas(performance.onsets, from, count, stretch, w.deltaTimeMax);
    window.keys.resize(count);
    for (size_t i = 0; i < count; ++i)
        window.keys[i] =
            std::clamp<int64_t>(performance.keys[from + i] + shift, 0, kPianoGenieKeys - 1);
    return window;
}

std::vector<PianoGenieWindow> pianoGenieEvalWindows(
    const std::vector<PianoGeniePerformance>& performances, int64_t seqLen, double deltaTimeMax) {
    std::vector<PianoGenieWindow> windows;
    const size_t length = static_cast<size_t>(std::max<int64_t>(1, seqLen));
    for (const PianoGeniePerformance& p : performances) {
        for (size_t from = 0; from + length <= p.size(); from += length) {
            PianoGenieWindow w;
            w.deltas = pianoGenieDeltas(p.onsets, from, length, 1.0, deltaTimeMax);
            w.keys.assign(p.keys.begin() + static_cast<std::ptrdiff_t>(from),
                          p.keys.begin() + static_cast<std::ptrdiff_t>(from + length));
            windows.push_back(std::move(w));
        }
    }
    return windows;
}

PianoGenieBatch makePianoGenieBatch(const std::vector<const PianoGenieWindow*>& windows) {
    const int64_t b = static_cast<int64_t>(windows.size());
    const int64_t t = windows.empty() ? 0 : static_cast<int64_t>(windows.front()->keys.size());
    PianoGenieBatch batch;
    batch.keys = torch::empty({b, t}, torch::kLong);
    batch.deltas = torch::empty({b, t}, torch::kFloat);
    int64_t* keys = batch.keys.data_ptr<int64_t>();
    float* deltas = batch.deltas.data_ptr<float>();
    for (int64_t i = 0; i < b; ++i) {
        const PianoGenieWindow& w = *windows[static_cast<size_t>(i)];
        std::copy_n(w.keys.begin(), t, keys + i * t);
        std::copy_n(w.deltas.begin(), t, deltas + i * t);
    }
    return batch;
}

std::vector<double> pianoGenieKeyFrequencies(
    const std::vector<PianoGeniePerformance>& performances) {
    std::vector<double> counts(kPianoGenieKeys, 1.0);
    for (const PianoGeniePerformance& p : performances)
        for (uint8_t k : p.keys) counts[k] += 1.0;
    const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
    for (double& c : counts) c /= total;
    return counts;
}

core::Result<PianoGenieDataset> buildPianoGenieDataset(const std::string& folder,
                                                       const PianoGenieDatasetOptions& options,
                                                       const DatasetProgress& progress,
                                                       const std::atomic<bool>* stop) {
    if (!(options.evalRatio >= 0.0 && options.evalRatio < 1.0))
        return core::Error{"eval ratio must be in [0, 1), got " +
                           std::to_string(options.evalRatio)};
    auto files = listMidiFiles(folder);
    if (!files) return files.error();
    if (files->empty())
        return core::Error{folder + ": no MIDI files (.mid, .midi) in this folder or below"};

    const size_t total = files->size();
    std::vector<FileOutcome> outcomes(total);
    const bool finished = forEachInParallel(
        total, options.threads,
        [&](size_t i) {
            FileOutcome& outcome = outcomes[i];
            auto sequence = core::readMidiFile((*files)[i].path);
            if (!sequence) {
                outcome.skipReason = sequence.errorMessage();
                return;
            }
            outcome.read = true;
            outcome.performance = pianoGeniePerformance(*sequence, outcome.statistics);
        },
        progress, stop);
    if (!finished) return core::Error{"cancelled"};

    PianoGenieDataset dataset;
    std::error_code ec;
    const std::string absolute = fs::absolute(folder, ec).lexically_normal().string();
    dataset.key = fnv1a64(absolute, midiFilesFingerprint(*files));
    dataset.key =
        fnv1a64(std::string(kPipelineVersion) + std::to_string(options.evalRatio), dataset.key);
    RnnDatasetReport& report = dataset.report;
    report.filesFound = static_cast<int64_t>(total);
    for (size_t i = 0; i < total; ++i) {
        const std::string& relative = (*files)[i].relativePath;
        dataset.files.push_back(relative);
        FileOutcome& outcome = outcomes[i];
        if (!outcome.read) {
            report.skipped.push_back({relative, outcome.skipReason});
            continue;
        }
        ++report.filesRead;
        const bool eval = isEvalFile(relative, options.evalRatio);
        ++(eval ? report.evalFiles : report.trainFiles);
        core::PipelineStatistics& stats = eval ? report.eval : report.training;
        stats.merge(outcome.statistics);
        if (outcome.performance.size() == 0) {
            stats.increment("performances_discarded_empty");
            continue;
        }
        outcome.performance.file = static_cast<uint32_t>(i);
        (eval ? dataset.eval : dataset.train).push_back(std::move(outcome.performance));
    }
    return dataset;
}

}  // namespace toccata::ml
