#include "ml/data/PolyphonyDataset.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/midi/MidiIO.h"
#include "core/ops/Quantization.h"
#include "core/ops/SequenceSplitting.h"
#include "ml/codecs/PolyphonicSequence.h"
#include "ml/codecs/PolyphonyOneHotEncoding.h"
#include "ml/data/MidiFolder.h"

namespace toccata::ml {

namespace fs = std::filesystem;

namespace {

// Bump when the examples change, so a run folder's dataset key changes with them.
constexpr const char* kPipelineVersion = "polyphony-1";
constexpr int kStepsPerQuarter = 4;

struct FileOutcome {
    bool read = false;
    std::string skipReason;
    std::vector<PolyphonyExample> examples;
    core::PipelineStatistics statistics;
};

int64_t eventsIn(const std::vector<PolyphonyExample>& examples) {
    int64_t n = 0;
    for (const PolyphonyExample& e : examples) n += static_cast<int64_t>(e.classes.size());
    return n;
}

core::Result<PolyphonyExample> encode(const PolyphonicSequence& seq) {
    const PolyphonyOneHotEncoding encoding;
    PolyphonyExample example;
    example.classes.reserve(seq.size());
    for (const PolyphonicEvent& e : seq.events()) {
        auto cls = encoding.encodeEvent(e);
        if (!cls) return cls.error();
        example.classes.push_back(static_cast<uint16_t>(*cls));
        if (e.isNote()) {
            example.minPitch = std::min<uint8_t>(example.minPitch, static_cast<uint8_t>(e.pitch));
            example.maxPitch = std::max<uint8_t>(example.maxPitch, static_cast<uint8_t>(e.pitch));
        }
    }
    return example;
}

}  // namespace

int64_t PolyphonyDataset::trainEvents() const { return eventsIn(train); }
int64_t PolyphonyDataset::evalEvents() const { return eventsIn(eval); }

std::vector<int64_t> transposeClasses(const std::vector<uint16_t>& classes, int semitones) {
    std::vector<int64_t> out(classes.begin(), classes.end());
    if (semitones == 0) return out;
    for (int64_t& c : out)
        if (c >= kPolyphonyNewNoteOffset) c += semitones;
    return out;
}

core::Result<std::vector<PolyphonyExample>> polyphonyExamples(
    const core::NoteSequence& sequence, const PolyphonyDatasetOptions& options,
    core::PipelineStatistics& stats) {
    core::NoteSequence pitched = sequence;
    const auto before = pitched.notes.size();
    std::erase_if(pitched.notes, [](const core::Note& n) { return n.isDrum; });
    if (before != pitched.notes.size())
        stats.increment("notes_discarded_drums",
                        static_cast<int64_t>(before - pitched.notes.size()));
    auto pieces = core::splitOnTimeChanges(pitched);
    if (!pieces) return pieces.error();
    std::vector<PolyphonyExample> out;
    for (const core::NoteSequence& piece : *pieces) {
        auto quantized = core::quantizeNoteSequence(piece, kStepsPerQuarter);
        if (!quantized) {
            stats.increment("sequences_discarded_quantization");
            continue;
        }
        std::set<int> programs;
        for (const core::Note& n : quantized->notes) programs.insert(n.program);
        if (programs.size() > 1) {
            stats.increment("polyphonic_tracks_discarded_more_than_1_program");
            continue;
        }
        const int64_t total = quantized->totalQuantizedSteps;
        std::vector<int64_t> starts = {0};
        if (total > options.maxSteps && options.chunkSteps > 0) {
            for (int64_t s = options.chunkSteps; s < total; s += options.chunkSteps)
                starts.push_back(s);
        }
        for (int64_t start : starts) {
            auto poly = PolyphonicSequence::fromQuantizedSequence(*quantized, start);
            if (!poly) return poly.error();
            if (starts.size() > 1 && poly->numSteps() > options.chunkSteps)
                poly->setLength(options.chunkSteps);
            const int64_t steps = poly->numSteps();
            if (steps < options.minSteps) {
                stats.increment("polyphonic_tracks_discarded_too_short");
                continue;
            }
            if (steps > options.maxSteps) {
                stats.increment("polyphonic_tracks_discarded_too_long");
                continue;
            }
            auto example = encode(*poly);
            if (!example) return example.error();
            stats.increment("polyphonic_tracks");
            stats.increment("events", static_cast<int64_t>(example->classes.size()));
            out.push_back(std::move(*example));
        }
    }
    return out;
}

core::Result<PolyphonyDataset> buildPolyphonyDataset(const std::string& folder,
                                                     const PolyphonyDatasetOptions& options,
                                                     const DatasetProgress& progress,
                                                     const std::atomic<bool>* stop) {
    if (!(options.evalRatio >= 0.0 && options.evalRatio < 1.0))
        return core::Error{"eval ratio must be in [0, 1), got " +
                           std::to_string(options.evalRatio)};
    if (options.minSteps < 1 || options.minSteps > options.maxSteps)
        return core::Error{"min steps (" + std::to_string(options.minSteps) +
                           ") must be within 1..max steps (" + std::to_string(options.maxSteps) +
                           ")"};
    if (options.chunkSteps < 0 ||
        (options.chunkSteps > 0 &&
         (options.chunkSteps < options.minSteps || options.chunkSteps > options.maxSteps)))
        return core::Error{"chunk steps (" + std::to_string(options.chunkSteps) +
                           ") must be 0 or within min steps..max steps"};
    auto files = listMidiFiles(folder);
    if (!files) return files.error();
    if (files->empty())
        return core::Error{folder + ": no MIDI files (.mid, .midi) in this folder or below"};
    std::error_code ec;
    const fs::path absolute = fs::absolute(folder, ec).lexically_normal();
    uint64_t key = fnv1a64(kPipelineVersion);
    key = fnv1a64(absolute.string(), key ^ midiFilesFingerprint(*files));
    key = fnv1a64(std::to_string(options.evalRatio) + "/" + std::to_string(options.minSteps) + "/" +
                      std::to_string(options.maxSteps) + "/" + std::to_string(options.chunkSteps),
                  key);

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
            auto examples = polyphonyExamples(*sequence, options, outcome.statistics);
            if (!examples) {
                outcome.skipReason = examples.errorMessage();
                return;
            }
            outcome.read = true;
            outcome.examples = std::move(*examples);
        },
        progress, stop);
    if (!finished) return core::Error{"cancelled"};

    PolyphonyDataset dataset;
    dataset.key = key;
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
        (eval ? report.eval : report.training).merge(outcome.statistics);
        for (PolyphonyExample& e : outcome.examples) {
            e.file = static_cast<uint32_t>(i);
            (eval ? dataset.eval : dataset.train).push_back(std::move(e));
        }
    }
    return dataset;
}

}  // namespace toccata::ml
