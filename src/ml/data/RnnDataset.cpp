#include "ml/data/RnnDataset.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/midi/MidiIO.h"
#include "ml/data/ChordInference.h"
#include "ml/data/MidiFolder.h"
#include "ml/data/RnnDatasetCache.h"

namespace toccata::ml {

namespace fs = std::filesystem;

namespace {

// Bump when the pipeline's output changes, so old caches are not reused.
constexpr const char* kPipelineVersion = "rnn-pipeline-2";

struct FileJob {
    std::string path;
    std::string relativePath;
    std::string chordsPath;  // paired chords file (Nottingham layout), else ""
    bool eval = false;
};

struct FileOutcome {
    bool read = false;
    std::string skipReason;
    RnnSequenceExamples examples;
    ChordTable chords;  // local to the file; remapped when merging
};

std::string optionsKey(const RnnDatasetOptions& o) {
    std::ostringstream s;
    const core::MelodyExtractorOptions& m = o.pipeline.melody;
    s << kPipelineVersion << "|eval=" << o.evalRatio << "|mel=" << m.minBars << ','
      << m.maxStepsTruncate.value_or(-1) << ',' << m.maxStepsDiscard.value_or(-1) << ','
      << m.gapBars << ',' << m.minUniquePitches << ',' << m.ignorePolyphonicNotes << ',' << m.padEnd
      << ',' << m.filterDrums << "|drums=" << o.pipeline.drums.minBars << ','
      << o.pipeline.drums.maxStepsTruncate.value_or(-1) << ',' << o.pipeline.drums.gapBars
      << "|transpose=";
    if (o.pipeline.transpositions)
        for (int t : *o.pipeline.transpositions) s << t << ',';
    else
        s << "default";
    return s.str();
}

FileOutcome processFile(const FileJob& job, const RnnCodecConfig& config,
                        const RnnPipelineOptions& options) {
    FileOutcome out;
    auto sequence = core::readMidiFile(job.path);
    if (!sequence) {
        out.skipReason = sequence.errorMessage();
        return out;
    }
    if (!job.chordsPath.empty()) {
        auto chords = core::readMidiFile(job.chordsPath);
        if (!chords) {
            out.skipReason = "chords: " + chords.errorMessage();
            return out;
        }
        std::vector<core::TextAnnotation> annotations = inferChordAnnotations(*chords);
        sequence->textAnnotations.insert(sequence->textAnnotations.end(), annotations.begin(),
                                         annotations.end());
    }
    out.read = true;
    auto examples = rnnExamplesFromSequence(*sequence, config, options, !job.eval, out.chords);
    if (!examples) {
        out.read = false;
        out.skipReason = examples.errorMessage();
        return out;
    }
    out.examples = std::move(*examples);
    return out;
}

core::Result<std::vector<FileJob>> planJobs(const std::string& folder, const RnnCodecConfig& config,
                                            double evalRatio, uint64_t& fingerprint,
                                            int64_t& found) {
    const fs::path root(folder);
    std::error_code ec;
    const bool paired = config.chords && fs::is_directory(root / "melody", ec) &&
                        fs::is_directory(root / "chords", ec);
    auto files = listMidiFiles(paired ? (root / "melody").string() : folder);
    if (!files) return files.error();
    if (files->empty())
        return core::Error{folder + ": no MIDI files (.mid, .midi) in this folder or below"};
    fingerprint = midiFilesFingerprint(*files);
    if (paired) {
        auto chordFiles = listMidiFiles((root / "chords").string());
        if (chordFiles) fingerprint ^= midiFilesFingerprint(*chordFiles) * 31;
    }
    found = static_cast<int64_t>(files->size());
    std::vector<FileJob> jobs;
    for (const MidiFileEntry& f : *files) {
        FileJob job;
        job.path = f.path;
        job.relativePath = paired ? "melody/" + f.relativePath : f.relativePath;
        if (paired) job.chordsPath = (root / "chords" / f.relativePath).string();
        // Split by tune name, so a tune's chords and melody stay on one side.
        job.eval = isEvalFile(f.relativePath, evalRatio);
        jobs.push_back(std::move(job));
    }
    return jobs;
}

}  // namespace

bool isEvalFile(const std::string& relativePath, double evalRatio) {
    if (evalRatio <= 0.0) return false;
    const uint64_t h = fnv1a64(relativePath, fnv1a64("toccata-eval-split"));
    return static_cast<double>(h % 1000000ULL) < evalRatio * 1000000.0;
}

std::string defaultDatasetCacheFolder() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0')
        return (fs::path(xdg) / "toccata" / "datasets").string();
    if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
        return (fs::path(home) / ".cache" / "toccata" / "datasets").string();
    return (fs::temp_directory_path() / "toccata-datasets").string();
}

namespace {
int64_t stepsIn(const std::vector<RnnExample>& examples) {
    int64_t n = 0;
    for (const RnnExample& e : examples)
        n += std::max<int64_t>(0, static_cast<int64_t>(e.events.size()) - 1);
    return n;
}
}  // namespace

int64_t RnnDataset::trainSteps() const { return stepsIn(train); }
int64_t RnnDataset::evalSteps() const { return stepsIn(eval); }

std::string RnnDatasetReport::toString() const {
    std::ostringstream s;
    s << "Files: " << filesFound << " found, " << filesRead << " read, " << skipped.size()
      << " skipped; " << trainFiles << " for training, " << evalFiles << " for evaluation"
      << (fromCache ? " (from the cache)" : "") << "\n";
    const size_t shown = std::min<size_t>(skipped.size(), 20);
    for (size_t i = 0; i < shown; ++i)
        s << "  skipped " << skipped[i].file << ": " << skipped[i].reason << "\n";
    if (skipped.size() > shown) s << "  ... and " << skipped.size() - shown << " more\n";
    s << "Training side:\n" << training.toString() << "\n";
    s << "Evaluation side:\n" << eval.toString() << "\n";
    return s.str();
}

core::Result<RnnDataset> buildRnnDataset(const std::string& folder, const RnnCodecConfig& config,
                                         const RnnDatasetOptions& options,
                                         const DatasetProgress& progress,
                                         const std::atomic<bool>* stop) {
    if (core::Status s = config.validate(); !s) return s.error();
    if (!(options.evalRatio >= 0.0 && options.evalRatio < 1.0))
        return core::Error{"eval ratio must be in [0, 1), got " +
                           std::to_string(options.evalRatio)};
    uint64_t fingerprint = 0;
    int64_t found = 0;
    auto jobs = planJobs(folder, config, options.evalRatio, fingerprint, found);
    if (!jobs) return jobs.error();

    std::error_code ec;
    const std::string absolute = fs::absolute(folder, ec).lexically_normal().string();
    uint64_t key = fnv1a64(absolute, fingerprint);
    key = fnv1a64(config.toCodecJson().dump(), key);
    key = fnv1a64(optionsKey(options), key);
    if (!options.cacheFolder.empty()) {
        if (auto cached = readDatasetCache(options.cacheFolder, key, config)) {
            if (progress) progress(found, found);
            return std::move(*cached);
        }
    }

    const size_t total = jobs->size();
    std::vector<FileOutcome> outcomes(total);
    const bool finished = forEachInParallel(
        total, options.threads,
        [&](size_t i) { outcomes[i] = processFile((*jobs)[i], config, options.pipeline); },
        progress, stop);
    if (!finished) return core::Error{"cancelled"};

    RnnDataset dataset;
    dataset.config = config;
    dataset.key = key;
    RnnDatasetReport& report = dataset.report;
    report.filesFound = found;
    ChordTable chords;
    for (size_t i = 0; i < total; ++i) {
        const FileJob& job = (*jobs)[i];
        FileOutcome& outcome = outcomes[i];
        dataset.files.push_back(job.relativePath);
        if (!outcome.read) {
            report.skipped.push_back({job.relativePath, outcome.skipReason});
            continue;
        }
        ++report.filesRead;
        ++(job.eval ? report.evalFiles : report.trainFiles);
        (job.eval ? report.eval : report.training).merge(outcome.examples.statistics);
        std::vector<RnnExample>& side = job.eval ? dataset.eval : dataset.train;
        for (RnnExample& example : outcome.examples.examples) {
            if (example.events.size() < 2) continue;  // nothing to predict
            example.file = static_cast<uint32_t>(i);
            for (uint16_t& c : example.chords) c = chords.indexOf(outcome.chords.chords()[c]);
            side.push_back(std::move(example));
        }
    }
    dataset.chordTable = chords.chords();
    if (!options.cacheFolder.empty()) (void)writeDatasetCache(options.cacheFolder, dataset);
    return dataset;
}

}  // namespace toccata::ml
