// The Music Transformer parts of toccata-cli generate and eval (GenerateTransformer.cpp,
// EvalTransformer.cpp), called once --model resolved to a music_transformer model. [cli]
#pragma once

#include <string>
#include <vector>

#include "cli/ArgParser.h"
#include "cli/commands/ModelArgs.h"
#include "core/NoteSequence.h"
#include "ml/generation/GenerationOptions.h"

namespace toccata::cli {

/// generate: the options only transformers take; the RNN families refuse them.
inline const std::vector<std::string>& transformerGenerateOptions() {
    static const std::vector<std::string> kOptions = {"--top-k", "--top-p"};
    return kOptions;
}

/// generate with a music_transformer model: `options` holds what the command parsed for every
/// model (temperature, seed); this reads --seconds, --top-k and --top-p, refuses the RNN-only
/// options, writes `paths` (output i with seed S + i) and prints the summary.
int generateWithMusicTransformer(ArgParser& parser, const ml::ModelSpec& spec,
                                 const core::NoteSequence& primer,
                                 const ml::GenerationOptions& options,
                                 const std::vector<std::string>& paths);

/// eval with a music_transformer model: NLL per event on the windows 'train' scores.
int evalMusicTransformer(const ArgParser& parser, const ModelLookup& lookup,
                         const std::string& data, bool heldOut, double evalRatio, int threads,
                         int batchSize);

}  // namespace toccata::cli
