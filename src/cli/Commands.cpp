#include "cli/Command.h"

namespace toccata::cli {

extern const Command kConvertCommand;
extern const Command kInfoCommand;
extern const Command kGenerateCommand;
extern const Command kModelsCommand;
extern const Command kTrainCommand;
extern const Command kEvalCommand;
extern const Command kSampleCommand;
extern const Command kInterpolateCommand;
extern const Command kGrooveCommand;
extern const Command kDrumifyCommand;
extern const Command kGenieCommand;
#ifdef TOCCATA_HAVE_AUDIO
extern const Command kRenderCommand;
#endif
#if defined(TOCCATA_HAVE_AUDIO) && defined(TOCCATA_HAVE_ANALYSIS)
extern const Command kRainbowgramCommand;
#endif
extern const Command kBenchCommand;

const std::vector<Command>& commands() {
    // Laid out by hand: clang-format pads every name to the longest #if'd one.
    // clang-format off
    static const std::vector<Command> all = {
        kConvertCommand, kInfoCommand,    kGenerateCommand, kModelsCommand,
        kTrainCommand,   kEvalCommand,    kSampleCommand,   kInterpolateCommand,
        kGrooveCommand,  kDrumifyCommand, kGenieCommand,
#ifdef TOCCATA_HAVE_AUDIO
        kRenderCommand,
#endif
#if defined(TOCCATA_HAVE_AUDIO) && defined(TOCCATA_HAVE_ANALYSIS)
        kRainbowgramCommand,
#endif
        kBenchCommand,
    };
    // clang-format on
    return all;
}

}  // namespace toccata::cli
