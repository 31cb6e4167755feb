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
extern const Command kBenchCommand;

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        kConvertCommand, kInfoCommand,    kGenerateCommand, kModelsCommand,
        kTrainCommand,   kEvalCommand,    kSampleCommand,   kInterpolateCommand,
        kGrooveCommand,  kDrumifyCommand, kGenieCommand,
#ifdef TOCCATA_HAVE_AUDIO
        kRenderCommand,
#endif
        kBenchCommand,
    };
    return all;
}

}  // namespace toccata::cli
