// The Polyphony RNN parts of toccata-cli generate and eval (GeneratePolyphony.cpp,
// EvalPolyphony.cpp). [cli]
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "cli/commands/ModelArgs.h"

namespace toccata::cli {

/// generate: when --model names a polyphony_rnn model, runs the whole command for it (its own
/// options: --primer-pitches, --condition-on-primer, --no-inject-primer, --no-grammar-mask)
/// and returns the exit code; otherwise nullopt and generate goes on with the other families
/// (a --model that cannot be resolved is reported there).
std::optional<int> generatePolyphonyIfPolyphonic(const std::vector<std::string>& args);

/// eval with a polyphony_rnn model: NLL per event on the files' polyphonic sequences (the
/// pipeline of the model's training hparams), with the n-gram baselines under --held-out.
int evalPolyphonyRnn(const ArgParser& parser, const ModelLookup& lookup, const std::string& data,
                     bool heldOut, double evalRatio, int threads, int batchSize);

}  // namespace toccata::cli
