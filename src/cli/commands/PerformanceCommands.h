// The Performance RNN parts of toccata-cli generate and eval (GeneratePerformance.cpp,
// EvalPerformance.cpp), called once --model resolved to a performance_rnn model. [cli]
#pragma once

#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "cli/commands/ModelArgs.h"
#include "core/Json.h"
#include "core/NoteSequence.h"
#include "ml/data/RnnDataset.h"
#include "ml/generation/GenerationOptions.h"

namespace toccata::cli {

/// generate: the options only performance models take; music_rnn models refuse them.
inline const std::vector<std::string>& performanceGenerateOptions() {
    static const std::vector<std::string> kOptions = {"--seconds", "--density",
                                                      "--pitch-histogram"};
    return kOptions;
}

/// generate with a performance_rnn model: `options` holds what the command parsed for every
/// model (temperature, seed, beam search, --steps/--num-steps, alignment); this reads
/// --seconds, --density and --pitch-histogram, writes `paths` and prints the summary.
int generateWithPerformanceRnn(ArgParser& parser, const ml::ModelSpec& spec,
                               const core::NoteSequence& primer, ml::GenerationOptions options,
                               const std::vector<std::string>& paths);

/// eval with a performance_rnn model: NLL per event on the windows 'train' scores.
int evalPerformanceRnn(const ArgParser& parser, const ModelLookup& lookup, const std::string& data,
                       bool heldOut, double evalRatio, int threads, int batchSize);

/// eval's report for the event models (Performance RNN, Music Transformer): `metrics` from
/// their evaluate functions (nll_per_event, perplexity, accuracy, windows, and the baselines'
/// NLL when fitted) with the model, data and file counts; one JSON line with --json.
int printEventEval(const ArgParser& parser, const ModelLookup& lookup, const std::string& data,
                   core::JsonValue metrics, int64_t windowEvents,
                   const ml::RnnDatasetReport& report, size_t filesScored);

}  // namespace toccata::cli
