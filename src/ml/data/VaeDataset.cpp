#include "ml/data/VaeDataset.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "core/midi/MidiIO.h"
#include "core/ops/MelodyExtraction.h"
#include "core/ops/Quantization.h"
#include "core/ops/SequenceSplitting.h"
#include "ml/data/MidiFolder.h"

namespace toccata::ml {

namespace fs = std::filesystem;

namespace {

using core::Note;
using core::NoteSequence;

// Bump when the windows change, so a run folder's dataset key changes with them.
constexpr const char* kPipelineVersion = "vae-windows-1";

/// Melody events -> converter labels: 0 no event, 1 note off, 2 + pitch - minPitch note on.
bool melodyLabels(const std::vector<int>& events, size_t from, int64_t steps,
                  const VaeConverterConfig& cfg, std::vector<int16_t>& labels) {
    labels.assign(static_cast<size_t>(steps), 0);
    for (int64_t t = 0; t < steps; ++t) {
        const int e = events[from + static_cast<size_t>(t)];
        if (e == core::kMelodyNoEvent) continue;
        if (e == core::kMelodyNoteOff) {
            labels[static_cast<size_t>(t)] = 1;
            continue;
        }
        if (e < cfg.minPitch || e > cfg.maxPitch) return false;
        labels[static_cast<size_t>(t)] = static_cast<int16_t>(2 + e - cfg.minPitch);
    }
    return true;
}

/// Melody windows: every bar line of every extracted melody.
void melodyWindows(const NoteSequence& quantized, const VaeConverter& converter,
                   VaeSequenceWindows& out) {
    const VaeConverterConfig& cfg = converter.config();
    core::MelodyExtractorOptions options;
    options.minBars = static_cast<int>(cfg.numBars());
    options.minUniquePitches = 1;
    options.ignorePolyphonicNotes = true;  // Python's skip_polyphony = False: keep the top note
    options.gapBars = 1.0;
    auto extraction = core::extractMelodies(quantized, options);
    if (!extraction) {
        out.statistics.increment("sequences_discarded_extraction_error");
        return;
    }
    out.statistics.merge(extraction->statistics);
    const int64_t n = cfg.numSteps, hop = cfg.stepsPerBar();
    for (const core::Melody& melody : extraction->melodies) {
        for (int64_t start = 0; start + n <= melody.size(); start += hop) {
            VaeExample e;
            if (!melodyLabels(melody.events(), static_cast<size_t>(start), n, cfg, e.labels)) {
                out.statistics.increment("windows_discarded_pitch_out_of_range");
                continue;
            }
            out.examples.push_back(std::move(e));
        }
    }
}

/// Drum and groove windows: consecutive model-length windows from bar 0 (drums start one on
/// every bar line).
void drumWindows(const NoteSequence& quantized, const VaeConverter& converter,
                 VaeSequenceWindows& out) {
    const VaeConverterConfig& cfg = converter.config();
    const bool groove = cfg.type == VaeConverterType::Groove;
    NoteSequence drums = quantized;
    bool anyDrum = false;
    for (const Note& note : quantized.notes) anyDrum = anyDrum || note.isDrum;
    drums.notes.clear();
    for (const Note& note : quantized.notes)
        if ((note.isDrum || !anyDrum) && note.velocity > 0) drums.notes.push_back(note);
    if (drums.notes.empty()) {
        out.statistics.increment("sequences_discarded_no_drums");
        return;
    }
    const int64_t n = cfg.numSteps, bar = cfg.stepsPerBar(), hop = groove ? n : bar;
    int64_t end = 0;  // the end of the bar of the last hit
    for (const Note& note : drums.notes)
        end = std::max(end, (note.quantizedStartStep / bar + 1) * bar);
    for (int64_t start = 0; start < end; start += hop) {
        // A window must be played at least half way: no training on mostly padding.
        if (end - start < n / 2) break;
        const NoteSequence window = quantizedWindow(drums, start, n);
        if (window.notes.empty()) {
            out.statistics.increment("windows_discarded_empty");
            continue;
        }
        VaeExample e;
        auto target = converter.toOutputTensor(window);
        if (!target) {
            out.statistics.increment("windows_discarded_converter_error");
            continue;
        }
        if (groove) {
            auto input = converter.toInputTensor(window);
            if (!input) {
                out.statistics.increment("windows_discarded_converter_error");
                continue;
            }
            const torch::Tensor x = input->contiguous(), y = target->contiguous();
            e.input.assign(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
            e.target.assign(y.data_ptr<float>(), y.data_ptr<float>() + y.numel());
        } else {
            const torch::Tensor labels = target->argmax(1).to(torch::kShort).contiguous();
            if (labels.sum().item<int64_t>() == 0) {  // no mapped drum at all
                out.statistics.increment("windows_discarded_empty");
                continue;
            }
            e.labels.assign(labels.data_ptr<int16_t>(), labels.data_ptr<int16_t>() + n);
        }
        out.examples.push_back(std::move(e));
    }
}

struct FileOutcome {
    bool read = false;
    std::string skipReason;
    VaeSequenceWindows windows;
};

}  // namespace

core::Result<VaeSequenceWindows> vaeWindowsFromSequence(const NoteSequence& sequence,
                                                        const VaeConverter& converter) {
    const VaeConverterConfig& cfg = converter.config();
    if (core::Status s = cfg.validate(); !s) return s.error();
    if (cfg.type == VaeConverterType::Trio)
        return core::Error{"training trio models is not supported (melody, drums and groove are)"};
    VaeSequenceWindows out;
    auto pieces = core::splitOnTimeChanges(sequence);
    if (!pieces) return pieces.error();
    for (const NoteSequence& piece : *pieces) {
        out.statistics.increment("sequences");
        const bool fourFour =
            piece.timeSignatures.empty() || (piece.timeSignatures.front().numerator == 4 &&
                                             piece.timeSignatures.front().denominator == 4);
        if (!fourFour) {
            out.statistics.increment("sequences_discarded_not_4_4");
            continue;
        }
        auto quantized = core::quantizeNoteSequence(piece, cfg.stepsPerQuarter);
        if (!quantized) {
            out.statistics.increment("sequences_discarded_quantize_error");
            continue;
        }
        const size_t before = out.examples.size();
        if (cfg.type == VaeConverterType::Melody)
            melodyWindows(*quantized, converter, out);
        else
            drumWindows(*quantized, converter, out);
        const float stepSeconds =
            static_cast<float>(core::secondsPerStep(cfg.stepsPerQuarter, quantized->initialQpm()));
        for (size_t i = before; i < out.examples.size(); ++i)
            out.examples[i].stepSeconds = stepSeconds;
    }
    out.statistics.increment("windows", static_cast<int64_t>(out.examples.size()));
    return out;
}

core::Result<VaeDataset> buildVaeDataset(const std::string& folder,
                                         const VaeConverterConfig& config,
                                         const VaeDatasetOptions& options,
                                         const DatasetProgress& progress,
                                         const std::atomic<bool>* stop) {
    if (core::Status s = config.validate(); !s) return s.error();
    if (config.type == VaeConverterType::Trio)
        return core::Error{"training trio models is not supported (melody, drums and groove are)"};
    if (!(options.evalRatio >= 0.0 && options.evalRatio < 1.0))
        return core::Error{"eval ratio must be in [0, 1), got " +
                           std::to_string(options.evalRatio)};
    auto files = listMidiFiles(folder);
    if (!files) return files.error();
    if (files->empty())
        return core::Error{folder + ": no MIDI files (.mid, .midi) in this folder or below"};
    const VaeConverter converter(config);

    const size_t total = files->size();
    std::vector<FileOutcome> outcomes(total);
    const bool finished = forEachInParallel(
        total, options.threads,
        [&](size_t i) {
            FileOutcome& outcome = outcomes[i];
            auto sequence = core::readMidiFile((*files)[i].path);
            if (!sequence) {
                outcome.skipReason = sequence.errorMessage();
            } else if (auto windows = vaeWindowsFromSequence(*sequence, converter); !windows) {
                outcome.skipReason = windows.errorMessage();
            } else {
                outcome.read = true;
                outcome.windows = std::move(*windows);
            }
        },
        progress, stop);
    if (!finished) return core::Error{"cancelled"};

    VaeDataset dataset;
    dataset.config = config;
    std::error_code ec;
    const std::string absolute = fs::absolute(folder, ec).lexically_normal().string();
    dataset.key = fnv1a64(absolute, midiFilesFingerprint(*files));
    dataset.key = fnv1a64(config.toMagentaJs().dump(), dataset.key);
    dataset.key =
        fnv1a64(std::string(kPipelineVersion) + std::to_string(options.evalRatio), dataset.key);
    RnnDatasetReport& report = dataset.report;
    report.filesFound = static_cast<int64_t>(total);
    // Categorical windows repeat (a drum loop, a repeated phrase): each is kept once per side.
    std::set<std::vector<int16_t>> seen[2];
    const bool categorical = config.type != VaeConverterType::Groove;
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
        stats.merge(outcome.windows.statistics);
        for (VaeExample& e : outcome.windows.examples) {
            if (categorical && !seen[eval ? 1 : 0].insert(e.labels).second) {
                stats.increment("windows_discarded_duplicate");
                continue;
            }
            e.file = static_cast<uint32_t>(i);
            (eval ? dataset.eval : dataset.train).push_back(std::move(e));
        }
    }
    return dataset;
}

}  // namespace toccata::ml
